// Storage for simulated HBM: a byte vector whose memory comes from calloc and whose elements
// are not value-initialised again, so a 64 MiB HBM costs nothing until pages are touched (the
// kernel's zero pages are already zero). A fresh MachineState per run stays cheap.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

namespace plena {

template <typename T>
struct ZeroPageAllocator {
  using value_type = T;
  ZeroPageAllocator() = default;
  template <typename U>
  ZeroPageAllocator(const ZeroPageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    void* p = std::calloc(n, sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }

  // Default construction leaves calloc's zeros in place; anything else constructs normally.
  template <typename U>
  void construct(U*) noexcept {}
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const ZeroPageAllocator<U>&) const noexcept { return true; }
  template <typename U>
  bool operator!=(const ZeroPageAllocator<U>&) const noexcept { return false; }
};

using HbmBytes = std::vector<uint8_t, ZeroPageAllocator<uint8_t>>;

}  // namespace plena
