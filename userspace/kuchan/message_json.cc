// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/message_json.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "userspace/kuchan/json.h"
#include "google/protobuf/descriptor.h"

namespace kuchan {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void Append(const Message& m, std::string* out);

// The value of `f` (element `i` when repeated).
void Value(const Message& m, const Reflection& r, const FieldDescriptor& f,
           int i, std::string* out) {
  const bool rep = f.is_repeated();
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(out, rep ? r.GetRepeatedInt32(m, &f, i) : r.GetInt32(m, &f));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(out, rep ? r.GetRepeatedInt64(m, &f, i) : r.GetInt64(m, &f));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, rep ? r.GetRepeatedUInt32(m, &f, i) : r.GetUInt32(m, &f));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(out, rep ? r.GetRepeatedUInt64(m, &f, i) : r.GetUInt64(m, &f));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      absl::StrAppend(out, (rep ? r.GetRepeatedBool(m, &f, i) : r.GetBool(m, &f))
                               ? "true"
                               : "false");
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int n = rep ? r.GetRepeatedEnumValue(m, &f, i) : r.GetEnumValue(m, &f);
      const auto* v = f.enum_type()->FindValueByNumber(n);
      if (v == nullptr)
        absl::StrAppend(out, n);
      else
        absl::StrAppend(out, JsonString(EnumJsonName(*v)));
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      absl::StrAppend(out, JsonString(rep ? r.GetRepeatedStringReference(m, &f, i, &scratch)
                                          : r.GetStringReference(m, &f, &scratch)));
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      Append(rep ? r.GetRepeatedMessage(m, &f, i) : r.GetMessage(m, &f), out);
      break;
    default:
      absl::StrAppend(out, "null");
  }
}

void Append(const Message& m, std::string* out) {
  const Reflection& r = *m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r.ListFields(m, &fields);  // set fields, in field-number order
  *out += '{';
  const char* sep = "";
  for (const FieldDescriptor* f : fields) {
    absl::StrAppend(out, sep, JsonString(f->name()), ":");
    sep = ",";
    if (!f->is_repeated()) {
      Value(m, r, *f, 0, out);
      continue;
    }
    *out += '[';
    for (int i = 0; i < r.FieldSize(m, f); i++) {
      if (i) *out += ',';
      Value(m, r, *f, i, out);
    }
    *out += ']';
  }
  *out += '}';
}

}  // namespace

std::string EnumJsonName(const google::protobuf::EnumValueDescriptor& v) {
  // The prefix every value of the enum shares, up to an underscore
  // (EVENT_, ORIGIN_): the kernel's name tables drop it too.
  const EnumDescriptor& e = *v.type();
  std::string common = e.value(0)->name();
  for (int i = 1; i < e.value_count(); i++) {
    const std::string& n = e.value(i)->name();
    size_t k = 0;
    while (k < common.size() && k < n.size() && common[k] == n[k]) k++;
    common.resize(k);
  }
  const size_t cut = common.rfind('_');
  return absl::AsciiStrToLower(
      v.name().substr(cut == std::string::npos ? 0 : cut + 1));
}

std::string MessageJson(const google::protobuf::Message& m) {
  std::string out;
  Append(m, &out);
  return out;
}

}  // namespace kuchan
