// Shared body of the three wire-format fuzz targets (wire_openai.cpp, wire_anthropic.cpp,
// wire_gemini.cpp): arbitrary bytes as an HTTP reply body of one LLM API.
//
// decode() may only throw MalformedReply and error_message() may not throw at all. A reply that
// decodes must also survive the rest of its life in an episode: it is recorded in the transcript
// and replayed from it (to_json -> text -> response_from_json gives the same response), and the
// assistant turn, with answers to its tool calls, is sent back to the same API on the next turn
// (encode() succeeds and produces a JSON body).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/chat.h"
#include "kernelcraft/llm/wire_format.h"

namespace kc_fuzz {

[[noreturn]] inline void wire_property_failed(const std::string& format, const std::string& what) {
  std::fprintf(stderr, "fuzz_wire_%s: property violated: %s\n", format.c_str(), what.c_str());
  std::abort();
}

inline void check_replays(const std::string& format, const kc::llm::ChatResponse& response) {
  using nlohmann::json;
  const json recorded = kc::llm::to_json(response);
  // The transcript writer's serialisation: invalid UTF-8 is replaced, never thrown.
  const std::string line = recorded.dump(-1, ' ', false, json::error_handler_t::replace);
  try {
    const json replayed = kc::llm::to_json(kc::llm::response_from_json(json::parse(line)));
    if (replayed != json::parse(line))
      wire_property_failed(format, "the response does not replay unchanged: " + line);
  } catch (const kc::InputError& e) {
    wire_property_failed(format, std::string("the recorded response does not replay: ") + e.what());
  }
}

inline void check_next_turn(const kc::llm::WireFormat& wire, const kc::llm::ChatResponse& response) {
  kc::llm::ChatRequest request;
  request.system = "You write PLENA kernels.";
  request.tools.push_back({"write_code", "Write the kernel source.",
                           nlohmann::json::parse(R"({"type":"object","properties":{"source":{"type":"string"}}})")});
  kc::llm::Message task;
  task.text = "Write a ReLU kernel.";
  request.messages.push_back(task);
  request.messages.push_back(response.message);
  if (!response.message.tool_calls.empty()) {
    kc::llm::Message answers;
    answers.role = kc::llm::Role::Tool;
    for (const kc::llm::ToolCall& call : response.message.tool_calls)
      answers.tool_results.push_back({call.id, call.name, "ok", false});
    request.messages.push_back(answers);
  }
  kc::llm::ModelEndpoint endpoint;
  endpoint.model = "fuzz-model";
  endpoint.base_url = "http://127.0.0.1:9";
  const kc::llm::HttpRequest http = wire.encode(request, endpoint);
  if (nlohmann::json::parse(http.body, nullptr, false).is_discarded())
    wire_property_failed(wire.name(), "the next request's body is not JSON");
}

inline int fuzz_wire_reply(const char* format, const uint8_t* data, size_t size) {
  static const std::unique_ptr<kc::llm::WireFormat> wire = kc::llm::make_wire_format(format);
  const std::string body(reinterpret_cast<const char*>(data), size);
  (void)wire->error_message(body);
  kc::llm::ChatResponse response;
  try {
    response = wire->decode(body);
  } catch (const kc::llm::MalformedReply&) {
    return 0;
  }
  check_replays(format, response);
  check_next_turn(*wire, response);
  return 0;
}

}  // namespace kc_fuzz
