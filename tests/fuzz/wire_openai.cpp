// libFuzzer target: arbitrary bytes as a reply body of the "openai" wire format (properties in
// wire_reply_fuzz.h).
#include "wire_reply_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kc_fuzz::fuzz_wire_reply("openai", data, size);
}
