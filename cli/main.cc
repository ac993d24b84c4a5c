// SPDX-License-Identifier: GPL-2.0
#include <iostream>

#include "cli/kuchanctl.h"

int main(int argc, char** argv) {
  return kuchan::cli::Run(argc, argv, std::cout, std::cerr);
}
