#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include <curl/curl.h>

#include "kernelcraft/llm/http_client.h"

namespace kc::llm {
namespace {

// A reply this large is not an LLM answer; stop before it exhausts memory.
constexpr std::size_t kMaxBodyBytes = std::size_t{64} << 20;
constexpr long kMaxConnectTimeoutMs = 30'000;

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

struct Transfer {
  HttpResponse response;
  bool too_large = false;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trimmed(const std::string& text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  const auto begin = std::find_if(text.begin(), text.end(), not_space);
  const auto end = std::find_if(text.rbegin(), text.rend(), not_space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->response.body.size() + bytes > kMaxBodyBytes) {
    transfer->too_large = true;
    return 0;  // anything but `bytes` makes libcurl abort with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::string line(data, bytes);
  // A new status line (after "100 Continue") starts a new header block.
  if (line.rfind("HTTP/", 0) == 0) {
    transfer->response.headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon != std::string::npos && colon > 0)
    transfer->response.headers[lower(trimmed(line.substr(0, colon)))] = trimmed(line.substr(colon + 1));
  return bytes;
}

bool has_header(const HttpRequest& request, const std::string& name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& header) { return lower(header.first) == name; });
}

HeaderList build_headers(const HttpRequest& request) {
  HeaderList list;
  const auto append = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) throw TransportError("POST " + request.url + ": out of memory for headers", false);
    list.release();
    list.reset(grown);
  };
  for (const auto& [name, value] : request.headers) append(name + ": " + value);
  if (!has_header(request, "content-type")) append("Content-Type: application/json");
  // libcurl would otherwise wait for "100 Continue" before sending larger bodies.
  if (!has_header(request, "expect")) append("Expect:");
  return list;
}

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

CurlHttpClient::CurlHttpClient() { global_init_once(); }

HttpResponse CurlHttpClient::post(const HttpRequest& request, std::chrono::milliseconds timeout) {
  EasyHandle handle(curl_easy_init());
  if (!handle) throw TransportError("POST " + request.url + ": cannot create a libcurl handle", false);
  HeaderList headers = build_headers(request);
  Transfer transfer;

  const long timeout_ms = static_cast<long>(std::max<std::chrono::milliseconds::rep>(1, timeout.count()));
  CURL* h = handle.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, kMaxConnectTimeoutMs));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);

  const CURLcode code = curl_easy_perform(h);
  if (transfer.too_large) throw TransportError("POST " + request.url + ": reply larger than 64 MiB", false);
  // Only the URL and libcurl's generic text: header values (API keys) never reach a message.
  if (code != CURLE_OK)
    throw TransportError("POST " + request.url + ": " + curl_easy_strerror(code),
                         code == CURLE_OPERATION_TIMEDOUT);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  return std::move(transfer.response);
}

}  // namespace kc::llm
