// SPDX-License-Identifier: GPL-2.0
//
// RETURN_IF_ERROR / ASSIGN_OR_RETURN. Debian bookworm's abseil (20220623)
// ships absl::Status but not these macros, so kuchan keeps its own copy.
#ifndef KUCHAN_USERSPACE_KUCHAN_STATUS_MACROS_H_
#define KUCHAN_USERSPACE_KUCHAN_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the status of `expr` from the enclosing function unless it is OK.
#define RETURN_IF_ERROR(expr)                                   \
  do {                                                          \
    ::absl::Status kuchan_status_ = (expr);                     \
    if (!kuchan_status_.ok()) return kuchan_status_;            \
  } while (0)

#define KUCHAN_STATUS_CONCAT_INNER_(a, b) a##b
#define KUCHAN_STATUS_CONCAT_(a, b) KUCHAN_STATUS_CONCAT_INNER_(a, b)

// ASSIGN_OR_RETURN(lhs, expr): evaluates the StatusOr `expr`; returns its
// status on error, else moves its value into `lhs` (which may declare a
// variable: ASSIGN_OR_RETURN(auto x, F())).
#define ASSIGN_OR_RETURN(lhs, expr)                                        \
  KUCHAN_ASSIGN_OR_RETURN_IMPL_(                                           \
      KUCHAN_STATUS_CONCAT_(kuchan_statusor_, __LINE__), lhs, expr)

#define KUCHAN_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // KUCHAN_USERSPACE_KUCHAN_STATUS_MACROS_H_
