// SPDX-License-Identifier: GPL-2.0
//
// Boxed<T>: an optional T held on the heap, for a generated message that
// nests its own set (kuchan.test.Tree's child), which std::optional cannot
// hold: T is incomplete where the member is declared. It copies deeply and
// answers the part of std::optional's interface the generated code and its
// users need, so a recursive field reads like any other nest.
#ifndef KUCHAN_USERSPACE_KUCHAN_BOXED_H_
#define KUCHAN_USERSPACE_KUCHAN_BOXED_H_

#include <memory>

namespace kuchan {

template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(Boxed&&) noexcept = default;

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& emplace() {
    p_ = std::make_unique<T>();
    return *p_;
  }
  void reset() { p_.reset(); }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_BOXED_H_
