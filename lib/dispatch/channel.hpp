#pragma once
// Internal: a closable multi-producer, multi-consumer queue between the send threads.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace credenza::dispatch::detail {

template <typename T>
class Channel
{
public:
    void push(T item)
    {
        {
            std::lock_guard lock(m_mutex);
            m_items.push_back(std::move(item));
        }
        m_ready.notify_one();
    }

    // The next item; nullopt once the channel is closed and drained.
    std::optional<T> pop()
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return !m_items.empty() || m_closed; });
        if (m_items.empty()) {
            return std::nullopt;
        }
        T item = std::move(m_items.front());
        m_items.pop_front();
        return item;
    }

    // Like pop, but gives up after `timeout` (nullopt) so the caller can look at a stop flag.
    template <typename Duration>
    std::optional<T> pop_for(Duration timeout)
    {
        std::unique_lock lock(m_mutex);
        if (!m_ready.wait_for(lock, timeout, [&] { return !m_items.empty() || m_closed; }) || m_items.empty()) {
            return std::nullopt;
        }
        T item = std::move(m_items.front());
        m_items.pop_front();
        return item;
    }

    void close()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_ready.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<T> m_items;
    bool m_closed = false;
};

} // namespace credenza::dispatch::detail
