#include "mock_llm_server.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <filesystem>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

// Built with the defines of Debian's libcpp-httplib (pkg-config, cmake/Dependencies.cmake).
#include <httplib.h>

namespace kc::testing {
namespace {

using nlohmann::json;

// --- scripted steps ------------------------------------------------------------------------

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

uint64_t minus(uint64_t total, uint64_t part) { return total > part ? total - part : 0; }

// Anthropic and Gemini carry arguments as JSON objects; text that is not one cannot travel as
// is, so it is wrapped where a test can still see it.
json arguments_object(const std::string& arguments) {
  json parsed = json::parse(arguments, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return json{{"_raw", arguments}};
  return parsed;
}

// --- replies in each wire format -----------------------------------------------------------

json openai_reply(const MockStep& step, const std::string& model, uint64_t serial) {
  json message = {{"role", "assistant"}, {"content", step.text.empty() ? json(nullptr) : json(step.text)}};
  if (!step.reasoning.empty()) message["reasoning_content"] = step.reasoning;
  if (!step.tool_calls.empty()) {
    json calls = json::array();
    for (const MockToolCall& call : step.tool_calls)
      calls.push_back({{"id", call.id},
                       {"type", "function"},
                       {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    message["tool_calls"] = std::move(calls);
  }
  json reply = {{"id", "chatcmpl-mock-" + std::to_string(serial)},
                {"object", "chat.completion"},
                {"created", 1700000000 + serial},
                {"model", model},
                {"choices", json::array({{{"index", 0},
                                          {"message", std::move(message)},
                                          {"finish_reason", step.tool_calls.empty() ? "stop" : "tool_calls"}}})}};
  if (!step.omit_usage)
    reply["usage"] = {{"prompt_tokens", step.input_tokens},
                      {"completion_tokens", step.output_tokens},
                      {"total_tokens", step.input_tokens + step.output_tokens},
                      {"prompt_tokens_details", {{"cached_tokens", step.cached_tokens}}},
                      {"completion_tokens_details", {{"reasoning_tokens", step.reasoning_tokens}}}};
  return reply;
}

json anthropic_reply(const MockStep& step, const std::string& model, uint64_t serial) {
  json content = json::array();
  if (!step.reasoning.empty())
    content.push_back({{"type", "thinking"}, {"thinking", step.reasoning}, {"signature", "sig-" + std::to_string(serial)}});
  if (!step.text.empty()) content.push_back({{"type", "text"}, {"text", step.text}});
  for (const MockToolCall& call : step.tool_calls)
    content.push_back({{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", arguments_object(call.arguments)}});
  json reply = {{"id", "msg_mock_" + std::to_string(serial)},
                {"type", "message"},
                {"role", "assistant"},
                {"model", model},
                {"content", std::move(content)},
                {"stop_reason", step.tool_calls.empty() ? "end_turn" : "tool_use"},
                {"stop_sequence", nullptr}};
  if (!step.omit_usage)
    reply["usage"] = {{"input_tokens", minus(step.input_tokens, step.cached_tokens)},
                      {"cache_creation_input_tokens", 0},
                      {"cache_read_input_tokens", step.cached_tokens},
                      {"output_tokens", step.output_tokens}};
  return reply;
}

// Gemini's functionCall has no id here: the client numbers the calls itself.
json gemini_reply(const MockStep& step, const std::string& model) {
  json parts = json::array();
  if (!step.reasoning.empty()) parts.push_back({{"text", step.reasoning}, {"thought", true}});
  if (!step.text.empty()) parts.push_back({{"text", step.text}});
  for (const MockToolCall& call : step.tool_calls)
    parts.push_back({{"functionCall", {{"name", call.name}, {"args", arguments_object(call.arguments)}}}});
  json reply = {{"candidates", json::array({{{"content", {{"role", "model"}, {"parts", std::move(parts)}}},
                                             {"finishReason", "STOP"},
                                             {"index", 0}}})},
                {"modelVersion", model}};
  if (!step.omit_usage)
    reply["usageMetadata"] = {{"promptTokenCount", step.input_tokens},
                              {"cachedContentTokenCount", step.cached_tokens},
                              {"candidatesTokenCount", minus(step.output_tokens, step.reasoning_tokens)},
                              {"thoughtsTokenCount", step.reasoning_tokens},
                              {"totalTokenCount", step.input_tokens + step.output_tokens}};
  return reply;
}

json reply_body(const std::string& format, const MockStep& step, const std::string& model, uint64_t serial) {
  if (format == "openai") return openai_reply(step, model, serial);
  if (format == "anthropic") return anthropic_reply(step, model, serial);
  return gemini_reply(step, model);
}

json error_body(const std::string& format, int status, const std::string& message) {
  if (format == "anthropic")
    return {{"type", "error"}, {"error", {{"type", "mock_error"}, {"message", message}}}};
  if (format == "gemini") return {{"error", {{"code", status}, {"message", message}, {"status", "MOCK_ERROR"}}}};
  return {{"error", {{"message", message}, {"type", "mock_error"}, {"code", nullptr}}}};
}

// --- tool results a client sent back -------------------------------------------------------

// Tool result content is a string, or a list of text blocks, depending on the client.
std::string content_text(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  if (content.is_array()) {
    std::string text;
    for (const json& block : content)
      if (block.is_object() && block.contains("text") && block["text"].is_string()) text += block["text"].get<std::string>();
    return text;
  }
  return content.is_null() ? std::string() : content.dump();
}

// The tool messages at the end of the conversation (a harness note may follow as a user turn).
std::vector<std::pair<std::string, std::string>> openai_tool_results(const json& body) {
  std::vector<std::pair<std::string, std::string>> results;
  if (!body.contains("messages") || !body["messages"].is_array()) return results;
  const json& messages = body["messages"];
  auto at = messages.size();
  while (at > 0 && messages[at - 1].value("role", "") == "user") --at;
  auto first = at;
  while (first > 0 && messages[first - 1].value("role", "") == "tool") --first;
  for (auto i = first; i < at; ++i)
    results.emplace_back(messages[i].value("tool_call_id", ""), content_text(messages[i].value("content", json())));
  return results;
}

const json* last_with_role(const json& list, const std::string& role) {
  if (!list.is_array()) return nullptr;
  for (auto it = list.rbegin(); it != list.rend(); ++it)
    if (it->is_object() && it->value("role", "") == role) return &*it;
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> anthropic_tool_results(const json& body) {
  std::vector<std::pair<std::string, std::string>> results;
  const json* user = body.contains("messages") ? last_with_role(body["messages"], "user") : nullptr;
  if (user == nullptr || !user->contains("content") || !(*user)["content"].is_array()) return results;
  for (const json& block : (*user)["content"])
    if (block.is_object() && block.value("type", "") == "tool_result")
      results.emplace_back(block.value("tool_use_id", ""), content_text(block.value("content", json())));
  return results;
}

std::vector<std::pair<std::string, std::string>> gemini_tool_results(const json& body) {
  std::vector<std::pair<std::string, std::string>> results;
  const json* user = body.contains("contents") ? last_with_role(body["contents"], "user") : nullptr;
  if (user == nullptr || !user->contains("parts") || !(*user)["parts"].is_array()) return results;
  for (const json& part : (*user)["parts"]) {
    if (!part.is_object() || !part.contains("functionResponse")) continue;
    const json& call = part["functionResponse"];
    const json response = call.value("response", json());
    const bool plain = response.is_object() && response.contains("content") && response["content"].is_string();
    results.emplace_back(call.value("name", ""), plain ? response["content"].get<std::string>() : response.dump());
  }
  return results;
}

// --- dropping a connection -----------------------------------------------------------------

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

// httplib does not hand the socket to a handler, so find it among this process's descriptors:
// the one whose local end is the server's port and whose peer is the requesting client.
// shutdown() (not close) leaves the descriptor to httplib, which then writes nothing and closes.
bool shut_connection(int server_port, int client_port) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t length = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 || port_of(local) != server_port) continue;
    length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0 || port_of(peer) != client_port) continue;
    return ::shutdown(fd, SHUT_RDWR) == 0;
  }
  return false;
}

}  // namespace

// --- MockStep --------------------------------------------------------------------------------

MockStep MockStep::reply(std::string text, std::vector<MockToolCall> calls) {
  MockStep step;
  step.kind = Kind::Reply;
  step.text = std::move(text);
  step.tool_calls = std::move(calls);
  return step;
}

MockStep MockStep::error(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers) {
  MockStep step;
  step.kind = Kind::HttpError;
  step.status = status;
  step.body = std::move(body);
  step.headers = std::move(headers);
  return step;
}

MockStep MockStep::drop() {
  MockStep step;
  step.kind = Kind::DropConnection;
  return step;
}

// `then` is the assistant turn sent after the wait.
MockStep MockStep::stall_for(std::chrono::milliseconds wait, MockStep then) {
  then.kind = Kind::Stall;
  then.stall = wait;
  return then;
}

MockStep MockStep::raw(std::string body) {
  MockStep step;
  step.kind = Kind::RawBody;
  step.body = std::move(body);
  return step;
}

// --- the server ------------------------------------------------------------------------------

struct MockLlmServer::Impl {
  explicit Impl(std::string format_name) : format(std::move(format_name)) {}

  const std::string format;
  httplib::Server server;
  std::thread thread;
  int port = -1;

  mutable std::mutex mutex;
  std::condition_variable stop_signal;  // wakes stalling handlers when the server shuts down
  bool stopping = false;
  std::vector<ReceivedRequest> received;
  std::deque<MockStep> steps;
  std::function<MockStep(const ReceivedRequest&)> responder;
  uint64_t generated_ids = 0;

  void handle(const httplib::Request& req, httplib::Response& res, std::string model);
  void handle_unknown_path(const httplib::Request& req, httplib::Response& res);
  // Stores the request and returns it with its 1-based position among all requests.
  std::pair<ReceivedRequest, uint64_t> record(const httplib::Request& req);
  MockStep next_step(const ReceivedRequest& request);
  void name_tool_calls(MockStep& step);
  void send_reply(const MockStep& step, httplib::Response& res, const std::string& model, uint64_t serial);
  void drop(const httplib::Request& req, httplib::Response& res);
  bool stall(std::chrono::milliseconds wait);
};

std::pair<ReceivedRequest, uint64_t> MockLlmServer::Impl::record(const httplib::Request& req) {
  ReceivedRequest request;
  request.path = req.path;
  for (const auto& [name, value] : req.headers) request.headers[lower(name)] = value;
  request.body = req.body;
  json parsed = json::parse(req.body, nullptr, false);
  if (!parsed.is_discarded()) request.json = std::move(parsed);
  std::lock_guard<std::mutex> lock(mutex);
  received.push_back(request);
  return {std::move(request), received.size()};
}

MockStep MockLlmServer::Impl::next_step(const ReceivedRequest& request) {
  std::function<MockStep(const ReceivedRequest&)> decide;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!responder) {
      if (steps.empty()) return MockStep::error(500, json{{"error", "mock script exhausted"}}.dump());
      MockStep step = std::move(steps.front());
      steps.pop_front();
      return step;
    }
    decide = responder;
  }
  // Outside the lock: a responder may look at requests() itself.
  try {
    return decide(request);
  } catch (const std::exception& error) {
    return MockStep::error(500, json{{"error", std::string("mock responder threw: ") + error.what()}}.dump());
  }
}

void MockLlmServer::Impl::name_tool_calls(MockStep& step) {
  std::lock_guard<std::mutex> lock(mutex);
  for (MockToolCall& call : step.tool_calls)
    if (call.id.empty()) call.id = "call_" + std::to_string(++generated_ids);
}

void MockLlmServer::Impl::send_reply(const MockStep& step, httplib::Response& res, const std::string& model,
                                     uint64_t serial) {
  MockStep named = step;
  name_tool_calls(named);
  res.status = 200;
  res.set_content(reply_body(format, named, model, serial).dump(), "application/json");
}

void MockLlmServer::Impl::drop(const httplib::Request& req, httplib::Response& res) {
  res.status = 500;
  if (shut_connection(port, req.remote_port)) return;
  // Fallback when the socket cannot be found: announce a body, then break off before it.
  res.set_chunked_content_provider("application/json", [](std::size_t, httplib::DataSink&) { return false; });
}

// Returns false when the server is shutting down before the wait is over.
bool MockLlmServer::Impl::stall(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex);
  return !stop_signal.wait_for(lock, wait, [this] { return stopping; });
}

void MockLlmServer::Impl::handle(const httplib::Request& req, httplib::Response& res, std::string model) {
  const auto [request, serial] = record(req);
  if (model.empty() && request.json.is_object() && request.json.contains("model") && request.json["model"].is_string())
    model = request.json["model"].get<std::string>();
  if (model.empty()) model = "mock-model";

  const MockStep step = next_step(request);
  switch (step.kind) {
    case MockStep::Kind::Reply:
      send_reply(step, res, model, serial);
      return;
    case MockStep::Kind::HttpError: {
      res.status = step.status;
      const std::string body =
          step.body.empty() ? error_body(format, step.status, "mock error " + std::to_string(step.status)).dump()
                            : step.body;
      for (const auto& [name, value] : step.headers) res.set_header(name.c_str(), value);
      res.set_content(body, "application/json");
      return;
    }
    case MockStep::Kind::DropConnection:
      drop(req, res);
      return;
    case MockStep::Kind::Stall:
      if (!stall(step.stall)) {
        res.status = 503;
        res.set_content(error_body(format, 503, "mock server shutting down").dump(), "application/json");
        return;
      }
      send_reply(step, res, model, serial);
      return;
    case MockStep::Kind::RawBody:
      res.status = 200;
      res.set_content(step.body, "application/json");
      return;
  }
}

void MockLlmServer::Impl::handle_unknown_path(const httplib::Request& req, httplib::Response& res) {
  record(req);
  res.status = 404;
  res.set_content(error_body(format, 404, "mock " + format + " server: no route for POST " + req.path).dump(),
                  "application/json");
}

MockLlmServer::MockLlmServer(std::string format) : format_(std::move(format)) {
  if (format_ != "openai" && format_ != "anthropic" && format_ != "gemini")
    throw std::invalid_argument("MockLlmServer: format must be openai, anthropic or gemini, not '" + format_ + "'");
  // A client that gives up (timeout, dropped connection) leaves httplib writing into a closed
  // socket; the default SIGPIPE action would kill the whole test program.
  std::signal(SIGPIPE, SIG_IGN);

  impl_ = std::make_unique<Impl>(format_);
  Impl& impl = *impl_;
  httplib::Server& server = impl.server;
  // One request per connection and short idle reads, so shutting down never waits on a client.
  server.set_keep_alive_max_count(1);
  server.set_read_timeout(2, 0);

  if (format_ == "openai") {
    server.Post("/v1/chat/completions",
                [&impl](const httplib::Request& req, httplib::Response& res) { impl.handle(req, res, ""); });
  } else if (format_ == "anthropic") {
    server.Post("/v1/messages",
                [&impl](const httplib::Request& req, httplib::Response& res) { impl.handle(req, res, ""); });
  } else {
    server.Post(R"(/v1beta/models/([^/]+):generateContent)",
                [&impl](const httplib::Request& req, httplib::Response& res) { impl.handle(req, res, req.matches[1]); });
  }
  server.Post(".*", [&impl](const httplib::Request& req, httplib::Response& res) { impl.handle_unknown_path(req, res); });

  impl.port = server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0) throw std::runtime_error("MockLlmServer: cannot bind a port on 127.0.0.1");
  impl.thread = std::thread([&server] { server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so the destructor needs it running.
  for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MockLlmServer::~MockLlmServer() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stop_signal.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string MockLlmServer::base_url() const {
  const std::string root = "http://127.0.0.1:" + std::to_string(impl_->port);
  if (format_ == "openai") return root + "/v1";
  if (format_ == "gemini") return root + "/v1beta";
  return root;
}

void MockLlmServer::script(std::vector<MockStep> steps) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->responder = nullptr;
  impl_->steps.assign(std::make_move_iterator(steps.begin()), std::make_move_iterator(steps.end()));
}

void MockLlmServer::respond_with(std::function<MockStep(const ReceivedRequest&)> responder) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->steps.clear();
  impl_->responder = std::move(responder);
}

std::vector<ReceivedRequest> MockLlmServer::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->received;
}

std::size_t MockLlmServer::request_count() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->received.size();
}

std::vector<std::pair<std::string, std::string>> MockLlmServer::tool_results_in(const ReceivedRequest& request) const {
  if (!request.json.is_object()) return {};
  if (format_ == "openai") return openai_tool_results(request.json);
  if (format_ == "anthropic") return anthropic_tool_results(request.json);
  return gemini_tool_results(request.json);
}

}  // namespace kc::testing
