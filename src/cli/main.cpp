#include <iostream>

#include "kernelcraft/cli/app.h"

int main(int argc, char** argv) { return kc::cli::run(argc, argv, std::cout, std::cerr); }
