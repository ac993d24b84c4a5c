// SPDX-License-Identifier: GPL-2.0
#include "tests/guest/family_info.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kuchan::guest {
namespace {

absl::Status BadLine(absl::string_view tool, size_t lineno,
                     absl::string_view line, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      tool, " output line ", lineno, " `", line, "': ", why));
}

uint32_t Num(const std::string& digits, int base) {
  return static_cast<uint32_t>(std::strtoul(digits.c_str(), nullptr, base));
}

// The attributes in [p, p + len), well-formed ones only.
std::vector<const nlattr*> Attrs(const char* p, int len) {
  std::vector<const nlattr*> out;
  while (len >= NLA_HDRLEN) {
    const auto* a = reinterpret_cast<const nlattr*>(p);
    if (a->nla_len < NLA_HDRLEN || a->nla_len > len) break;
    out.push_back(a);
    p += NLA_ALIGN(a->nla_len);
    len -= NLA_ALIGN(a->nla_len);
  }
  return out;
}

int Type(const nlattr* a) { return a->nla_type & NLA_TYPE_MASK; }
const char* Payload(const nlattr* a) {
  return reinterpret_cast<const char*>(a) + NLA_HDRLEN;
}
int PayloadLen(const nlattr* a) { return a->nla_len - NLA_HDRLEN; }
std::vector<const nlattr*> Nested(const nlattr* a) {
  return Attrs(Payload(a), PayloadLen(a));
}
uint32_t U32(const nlattr* a) {
  uint32_t v = 0;
  if (PayloadLen(a) == 2) {
    uint16_t v16;
    memcpy(&v16, Payload(a), sizeof(v16));
    return v16;
  }
  if (PayloadLen(a) >= 4) memcpy(&v, Payload(a), sizeof(v));
  return v;
}
std::string Str(const nlattr* a) {
  return std::string(Payload(a), strnlen(Payload(a), PayloadLen(a)));
}

// Fills `info` from a CTRL_CMD_NEWFAMILY message's attributes.
void ReadFamilyAttrs(const char* p, int len, FamilyInfo* info) {
  for (const nlattr* a : Attrs(p, len)) {
    switch (Type(a)) {
      case CTRL_ATTR_FAMILY_NAME: info->name = Str(a); break;
      case CTRL_ATTR_FAMILY_ID: info->id = U32(a); break;
      case CTRL_ATTR_VERSION: info->version = U32(a); break;
      case CTRL_ATTR_HDRSIZE: info->hdrsize = U32(a); break;
      case CTRL_ATTR_MAXATTR: info->maxattr = U32(a); break;
      case CTRL_ATTR_OPS:
        for (const nlattr* op : Nested(a)) {
          uint32_t id = 0, flags = 0;
          for (const nlattr* f : Nested(op)) {
            if (Type(f) == CTRL_ATTR_OP_ID) id = U32(f);
            if (Type(f) == CTRL_ATTR_OP_FLAGS) flags = U32(f);
          }
          info->ops[id] = flags;
        }
        break;
      case CTRL_ATTR_MCAST_GROUPS:
        for (const nlattr* g : Nested(a)) {
          std::string name;
          uint32_t id = 0;
          for (const nlattr* f : Nested(g)) {
            if (Type(f) == CTRL_ATTR_MCAST_GRP_NAME) name = Str(f);
            if (Type(f) == CTRL_ATTR_MCAST_GRP_ID) id = U32(f);
          }
          info->groups[name] = id;
        }
        break;
      default: break;
    }
  }
}

}  // namespace

absl::StatusOr<FamilyInfo> QueryFamily(const std::string& name) {
  if (name.size() >= GENL_NAMSIZ) {
    return absl::InvalidArgumentError(
        absl::StrCat("family name `", name, "' too long"));
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket(NETLINK_GENERIC)");
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};

  // nlmsghdr, genlmsghdr, one CTRL_ATTR_FAMILY_NAME attribute.
  struct {
    nlmsghdr nlh;
    genlmsghdr genl;
    char attrs[NLA_HDRLEN + NLA_ALIGN(GENL_NAMSIZ)];
  } req{};
  auto* nla = reinterpret_cast<nlattr*>(req.attrs);
  nla->nla_type = CTRL_ATTR_FAMILY_NAME;
  nla->nla_len = NLA_HDRLEN + name.size() + 1;
  memcpy(req.attrs + NLA_HDRLEN, name.c_str(), name.size() + 1);
  req.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(nla->nla_len);
  req.nlh.nlmsg_type = GENL_ID_CTRL;
  req.nlh.nlmsg_flags = NLM_F_REQUEST;
  req.nlh.nlmsg_seq = 1;
  req.genl.cmd = CTRL_CMD_GETFAMILY;
  req.genl.version = 1;

  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, &req, req.nlh.nlmsg_len, 0,
             reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0) {
    return absl::ErrnoToStatus(errno, "sending CTRL_CMD_GETFAMILY");
  }
  std::vector<char> storage(65536);  // new[]: aligned for nlmsghdr
  char* buf = storage.data();
  ssize_t n = recv(fd, buf, storage.size(), MSG_TRUNC);
  if (n < 0) {
    return absl::ErrnoToStatus(errno, "receiving CTRL_CMD_GETFAMILY's answer");
  }
  if (static_cast<size_t>(n) > storage.size()) {
    return absl::InternalError("CTRL_CMD_GETFAMILY answer truncated");
  }
  int len = static_cast<int>(n);
  for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len);
       h = NLMSG_NEXT(h, len)) {
    if (h->nlmsg_type == NLMSG_ERROR) {
      const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      if (e->error == -ENOENT) {
        return absl::NotFoundError(
            absl::StrCat("no genetlink family `", name, "'"));
      }
      return absl::ErrnoToStatus(-e->error, "CTRL_CMD_GETFAMILY");
    }
    if (h->nlmsg_type != GENL_ID_CTRL) continue;
    FamilyInfo info;
    ReadFamilyAttrs(static_cast<const char*>(NLMSG_DATA(h)) + GENL_HDRLEN,
                    static_cast<int>(h->nlmsg_len) - NLMSG_LENGTH(GENL_HDRLEN),
                    &info);
    if (info.id == 0) {
      return absl::InternalError("CTRL_CMD_GETFAMILY answered without an id");
    }
    return info;
  }
  return absl::InternalError("no answer to CTRL_CMD_GETFAMILY");
}

absl::StatusOr<uint16_t> GenlFamilyId(const std::string& name) {
  absl::StatusOr<FamilyInfo> info = QueryFamily(name);
  if (!info.ok()) return info.status();
  return static_cast<uint16_t>(info->id);
}

absl::StatusOr<FamilyInfo> ParseGenlCtrlGet(absl::string_view text) {
  static const std::regex kName(R"(Name: (\S+))");
  static const std::regex kHeader(
      R"(\s*ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)\s*)");
  static const std::regex kOpsStart(R"(\s*commands supported:\s*)");
  static const std::regex kGroupsStart(R"(\s*multicast groups:\s*)");
  static const std::regex kOp(R"(\s*#\d+:\s+ID-0x([0-9a-f]+)\s*)");
  static const std::regex kCaps(R"(\s*Capabilities \(0x([0-9a-f]+)\):\s*)");
  static const std::regex kCapWords(
      R"(\s*((requires admin permission|can doit|can dumpit|has policy);?\s*)*)");
  static const std::regex kGroup(
      R"(\s*#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)\s*)");
  constexpr absl::string_view kTool = "genl ctrl get";

  enum class Section { kHead, kOps, kGroups } section = Section::kHead;
  FamilyInfo info;
  bool have_header = false;
  int64_t op = -1;  // the op whose Capabilities come next
  size_t ops_with_flags = 0;
  size_t lineno = 0;
  for (absl::string_view sv : absl::StrSplit(text, '\n')) {
    ++lineno;
    const std::string line(sv);
    std::smatch m;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (std::regex_match(line, m, kName)) {
      if (!info.name.empty()) {
        return BadLine(kTool, lineno, line, "a second family");
      }
      info.name = m[1];
    } else if (std::regex_match(line, m, kHeader)) {
      info.id = Num(m[1], 16);
      info.version = Num(m[2], 16);
      info.hdrsize = Num(m[3], 10);
      info.maxattr = Num(m[4], 10);
      have_header = true;
    } else if (std::regex_match(line, kOpsStart)) {
      section = Section::kOps;
    } else if (std::regex_match(line, kGroupsStart)) {
      section = Section::kGroups;
    } else if (section == Section::kOps && std::regex_match(line, m, kOp)) {
      op = Num(m[1], 16);
      if (!info.ops.emplace(op, 0).second) {
        return BadLine(kTool, lineno, line, "op listed twice");
      }
    } else if (section == Section::kOps && std::regex_match(line, m, kCaps)) {
      if (op < 0) return BadLine(kTool, lineno, line, "capabilities of no op");
      info.ops[op] = Num(m[1], 16);
      ++ops_with_flags;
    } else if (section == Section::kOps && std::regex_match(line, kCapWords)) {
      // The words spell out the Capabilities number already parsed.
    } else if (section == Section::kGroups &&
               std::regex_match(line, m, kGroup)) {
      if (!info.groups.emplace(m[2], Num(m[1], 16)).second) {
        return BadLine(kTool, lineno, line, "group listed twice");
      }
    } else {
      return BadLine(kTool, lineno, line, "not understood");
    }
  }
  if (info.name.empty() || !have_header) {
    return absl::InvalidArgumentError(
        absl::StrCat("genl ctrl get output without a family: `", text, "'"));
  }
  if (ops_with_flags != info.ops.size()) {
    if (ops_with_flags != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "genl ctrl get printed capabilities for some ops only: `", text,
          "'"));
    }
    info.op_flags_known = false;
  }
  return info;
}

absl::StatusOr<FamilyInfo> ParseKuchanctlInfo(absl::string_view text) {
  static const std::regex kField(R"((family|id|version|hdrsize|maxattr): (\S+))");
  static const std::regex kNumber(R"(\d+)");
  static const std::regex kOp(R"(op: (\d+) ([a-z0-9_]+)((?: [a-z_]+)*))");
  static const std::regex kGroup(R"(group: (\d+) (\S+))");
  constexpr absl::string_view kTool = "kuchanctl info";

  FamilyInfo info;
  std::vector<std::string> seen;
  size_t lineno = 0;
  for (absl::string_view sv : absl::StrSplit(text, '\n')) {
    ++lineno;
    const std::string line(sv);
    std::smatch m;
    if (line.empty()) continue;
    if (std::regex_match(line, m, kField)) {
      const std::string key = m[1], value = m[2];
      for (const std::string& s : seen) {
        if (s == key) return BadLine(kTool, lineno, line, "field repeated");
      }
      seen.push_back(key);
      if (key == "family") {
        info.name = value;
        continue;
      }
      if (!std::regex_match(value, kNumber)) {
        return BadLine(kTool, lineno, line, "not a decimal number");
      }
      uint32_t n = Num(value, 10);
      if (key == "id") info.id = n;
      if (key == "version") info.version = n;
      if (key == "hdrsize") info.hdrsize = n;
      if (key == "maxattr") info.maxattr = n;
    } else if (std::regex_match(line, m, kOp)) {
      uint32_t flags = 0;
      for (absl::string_view w :
           absl::StrSplit(m[3].str(), ' ', absl::SkipEmpty())) {
        if (w == "do") {
          flags |= kOpDo;
        } else if (w == "dump") {
          flags |= kOpDump;
        } else if (w == "haspol") {
          flags |= kOpHasPol;
        } else if (w == "admin") {
          flags |= kOpAdmin;
        } else if (w == "uns_admin") {
          flags |= kOpUnsAdmin;
        } else {
          return BadLine(kTool, lineno, line,
                         absl::StrCat("unknown flag `", w, "'"));
        }
      }
      if (!info.ops.emplace(Num(m[1], 10), flags).second) {
        return BadLine(kTool, lineno, line, "op listed twice");
      }
    } else if (std::regex_match(line, m, kGroup)) {
      if (!info.groups.emplace(m[2], Num(m[1], 10)).second) {
        return BadLine(kTool, lineno, line, "group listed twice");
      }
    } else {
      return BadLine(kTool, lineno, line, "not understood");
    }
  }
  for (const char* required : {"family", "id", "version", "hdrsize",
                               "maxattr"}) {
    bool found = false;
    for (const std::string& s : seen) found = found || s == required;
    if (!found) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kuchanctl info output without `", required, ":': `", text, "'"));
    }
  }
  return info;
}

}  // namespace kuchan::guest
