// SPDX-License-Identifier: GPL-2.0
//
// GetFamily(): the controller's whole description of a family, encoded and
// decoded with the schema codec. Apart from controller.cc, which must link
// no protobuf (ResolveFamily() is on the signal path: connection.h).
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/genl_ctrl.pb.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::StatusOr<FamilyInfo> GetFamily(Socket& sock, const std::string& name) {
  ASSIGN_OR_RETURN(NlMsg msg, GetFamilyRequest());
  genl::CtrlFamily request;
  request.set_family_name(name);
  RETURN_IF_ERROR(EncodeAttrs(request, msg.get()));
  return AskController(sock, name, msg,
                       AttrNamerFor(genl::CtrlFamily::descriptor()),
                       ParseNewFamily);
}

}  // namespace kuchan
