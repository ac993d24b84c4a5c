// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/attr_set.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/const_init.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "userspace/kuchan/nla.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

const char* AttrTypeName(nl::AttrType t) {
  switch (t) {
    case nl::UNSPEC: return "unspec";
    case nl::U8: return "u8";
    case nl::U16: return "u16";
    case nl::U32: return "u32";
    case nl::U64: return "u64";
    case nl::S32: return "s32";
    case nl::S64: return "s64";
    case nl::FLAG: return "flag";
    case nl::NUL_STRING: return "nul_string";
    case nl::BINARY: return "binary";
    case nl::NESTED: return "nested";
    case nl::NESTED_ARRAY: return "nested_array";
    case nl::MULTI_NESTED: return "multi_nested";
    case nl::PAD: return "pad";
  }
  return "?";
}

namespace {

bool IsInteger(nl::AttrType t) {
  switch (t) {
    case nl::U8:
    case nl::U16:
    case nl::U32:
    case nl::U64:
    case nl::S32:
    case nl::S64:
      return true;
    default:
      return false;
  }
}

// The wire type of `f`: its explicit (nl.attr).type when that fits the
// field's C++ type, else the default netlink.proto's AttrType comment gives.
absl::StatusOr<nl::AttrType> WireType(const FieldDescriptor* f,
                                      nl::AttrType explicit_type) {
  using CppType = FieldDescriptor::CppType;
  const CppType cpp = f->cpp_type();
  if (f->is_repeated() && cpp != FieldDescriptor::CPPTYPE_MESSAGE) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: a repeated %s cannot be an attribute (wrap it "
                        "in a repeated message)",
                        f->full_name(), f->cpp_type_name()));
  }
  nl::AttrType derived;
  // Besides its default, uint32 and enum fields may be sent as U8 or U16,
  // and string fields as BINARY (bytes fields as NUL_STRING).
  bool explicit_fits = false;
  switch (cpp) {
    case CppType::CPPTYPE_UINT32:
    case CppType::CPPTYPE_ENUM:
      derived = nl::U32;
      explicit_fits = explicit_type == nl::U8 || explicit_type == nl::U16;
      break;
    case CppType::CPPTYPE_INT32:
      derived = nl::S32;
      break;
    case CppType::CPPTYPE_UINT64:
      derived = nl::U64;
      break;
    case CppType::CPPTYPE_INT64:
      derived = nl::S64;
      break;
    case CppType::CPPTYPE_BOOL:
      derived = nl::FLAG;
      break;
    case CppType::CPPTYPE_STRING:
      derived = f->type() == FieldDescriptor::TYPE_BYTES ? nl::BINARY
                                                         : nl::NUL_STRING;
      explicit_fits =
          explicit_type == nl::NUL_STRING || explicit_type == nl::BINARY ||
          (explicit_type == nl::PAD &&
           f->type() == FieldDescriptor::TYPE_BYTES);
      break;
    case CppType::CPPTYPE_MESSAGE:
      derived = f->is_repeated() ? nl::MULTI_NESTED : nl::NESTED;
      explicit_fits = f->is_repeated() && explicit_type == nl::NESTED_ARRAY;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: a %s cannot be an attribute", f->full_name(),
                          f->cpp_type_name()));
  }
  if (explicit_type == nl::UNSPEC || explicit_type == derived) return derived;
  if (explicit_fits) return explicit_type;
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: (nl.attr).type %s does not fit a %s field", f->full_name(),
      AttrTypeName(explicit_type), f->cpp_type_name()));
}

// Checks that every bound the option gives applies to the wire type, so a
// typo in the schema is an error rather than a silently ignored bound.
absl::Status CheckBounds(const FieldDescriptor* f, const nl::Attr& a,
                         nl::AttrType t) {
  auto misplaced = [&](const char* bound) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: (nl.attr).%s does not apply to a %s attribute",
                        f->full_name(), bound, AttrTypeName(t)));
  };
  if ((a.has_min() || a.has_max()) && !IsInteger(t)) {
    return misplaced(a.has_min() ? "min" : "max");
  }
  if ((a.has_min_len() || a.has_max_len()) && t != nl::NUL_STRING &&
      t != nl::BINARY) {
    return misplaced(a.has_min_len() ? "min_len" : "max_len");
  }
  if (a.has_max_count() && t != nl::MULTI_NESTED && t != nl::NESTED_ARRAY) {
    return misplaced("max_count");
  }
  if (a.has_min() && a.has_max() && a.min() > a.max()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: (nl.attr).min %d is above max %d", f->full_name(), a.min(),
        a.max()));
  }
  if (a.has_min_len() && a.has_max_len() && a.min_len() > a.max_len()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: (nl.attr).min_len %d is above max_len %d", f->full_name(),
        a.min_len(), a.max_len()));
  }
  return absl::OkStatus();
}

}  // namespace

// Builds sets and the sets nested in them under the registry's lock. A set
// is registered before its fields are resolved, so recursive schemas
// terminate: a nest that refers back to a set under construction gets the
// (stable) pointer of the unfinished set.
class AttrSetBuilder {
 public:
  struct Entry {
    std::unique_ptr<AttrSet> set;
    absl::Status status;
  };
  using Registry = absl::flat_hash_map<const Descriptor*, Entry>;

  explicit AttrSetBuilder(Registry* registry) : registry_(registry) {}

  absl::StatusOr<const AttrSet*> BuildClosure(const Descriptor* d) {
    absl::Status status = Build(d);
    if (!status.ok()) {
      // Sets built in this call may point at the set that failed: fail them
      // too rather than hand out a set with a broken nest.
      for (const Descriptor* c : created_) {
        Entry& e = (*registry_)[c];
        if (e.status.ok()) {
          e.status = absl::InvalidArgumentError(absl::StrCat(
              c->full_name(), ": nests an invalid set: ", status.message()));
        }
      }
    }
    const Entry& e = (*registry_)[d];
    if (!e.status.ok()) return e.status;
    return e.set.get();
  }

 private:
  absl::Status Build(const Descriptor* d) {
    if (auto it = registry_->find(d); it != registry_->end()) {
      return it->second.status;
    }
    auto* set = new AttrSet(d);
    (*registry_)[d].set.reset(set);
    created_.push_back(d);
    absl::Status status = Fill(d, set);
    // Look the entry up again: nested insertions may have moved it.
    (*registry_)[d].status = status;
    return status;
  }

  absl::Status Fill(const Descriptor* d, AttrSet* set) {
    if (!d->options().HasExtension(nl::set)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s is not an attribute set: it has no (nl.set) option",
          d->full_name()));
    }
    int max_type = 0;
    for (int i = 0; i < d->field_count(); ++i) {
      max_type = std::max(max_type, d->field(i)->number());
    }
    if (max_type > kNlaTypeMask) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: field number %d is above the largest attribute type %d",
          d->full_name(), max_type, kNlaTypeMask));
    }
    std::vector<AttrSpec> specs(max_type + 1);
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const nl::Attr& a = f->options().GetExtension(nl::attr);
      AttrSpec& s = specs[f->number()];
      s.field = f;
      ASSIGN_OR_RETURN(s.type, WireType(f, a.type()));
      RETURN_IF_ERROR(CheckBounds(f, a, s.type));
      if (a.has_min()) s.min = a.min();
      if (a.has_max()) {
        s.max = a.max();
        s.has_max = true;
      }
      if (a.has_min_len()) s.min_len = a.min_len();
      if (a.has_max_len()) s.max_len = a.max_len();
      if (a.has_max_count()) s.max_count = a.max_count();
      s.reply_only = a.reply_only();
      if (s.type == nl::NESTED || s.type == nl::MULTI_NESTED ||
          s.type == nl::NESTED_ARRAY) {
        const Descriptor* sub = f->message_type();
        RETURN_IF_ERROR(Build(sub));
        s.nested = (*registry_)[sub].set.get();
      }
    }
    set->specs_ = std::move(specs);
    return absl::OkStatus();
  }

  Registry* registry_;
  std::vector<const Descriptor*> created_;
};

absl::StatusOr<const AttrSet*> AttrSet::For(const Descriptor* d) {
  static absl::Mutex mu(absl::kConstInit);
  // Never destroyed: sets are handed out as plain pointers for the life of
  // the process, including to static destructors.
  static auto* registry = new AttrSetBuilder::Registry;
  // A reader decoding a stream of one message type (events) asks for the
  // same set every time: remember the last good answer per thread and skip
  // the lock. Sets are never freed, so the pointer stays valid.
  thread_local const Descriptor* last_desc = nullptr;
  thread_local const AttrSet* last_set = nullptr;
  if (d == last_desc) return last_set;
  absl::StatusOr<const AttrSet*> found;
  {
    absl::ReaderMutexLock lock(&mu);
    if (auto it = registry->find(d); it != registry->end()) {
      if (!it->second.status.ok()) return it->second.status;
      found = it->second.set.get();
    }
  }
  if (!found.ok()) {
    absl::MutexLock lock(&mu);
    found = AttrSetBuilder(registry).BuildClosure(d);
  }
  if (found.ok()) {
    last_desc = d;
    last_set = *found;
  }
  return found;
}

}  // namespace kuchan
