#include "agora/auth/spam_check.hpp"

#include <curl/curl.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "agora/core/time_format.hpp"

namespace agora::auth {
namespace {

constexpr std::size_t max_answer_bytes = 64 * 1024;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * count > max_answer_bytes) return 0;
  out->append(data, size * count);
  return size * count;
}

double number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return std::strtod(j.get<std::string>().c_str(), nullptr);
  return 0;
}

}  // namespace

bool spam_answer_says_spammer(const std::string& text, std::int64_t now, double min_confidence) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || number(j.value("success", nlohmann::json(0))) <= 0) return false;
  auto email = j.find("email");
  if (email == j.end() || !email->is_object()) return false;
  const double last_seen = number(email->value("lastseen", nlohmann::json(0)));
  constexpr double year = 365.0 * 86'400;
  const bool recent = last_seen > 0 && now - last_seen <= year;
  return recent && number(email->value("confidence", nlohmann::json(0))) > min_confidence;
}

bool is_known_spammer(const AuthConfig& config, const std::string& email, const Logger& log) {
  if (config.spam_check_url.empty()) return false;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return false;
  std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(curl.get(), email.data(), static_cast<int>(email.size())), &curl_free);
  if (!escaped) return false;
  const auto url = config.spam_check_url + "?f=json&unix&email=" + escaped.get();
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(config.spam_check_timeout_ms));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
  if (const auto rc = curl_easy_perform(curl.get()); rc != CURLE_OK) {
    log->warn("spam check unavailable, letting the sign-up through: {}", curl_easy_strerror(rc));
    return false;
  }
  const bool spammer = spam_answer_says_spammer(body, now_micros() / 1'000'000, config.spam_min_confidence);
  if (spammer) log->warn("spam check: refused a new account for a listed address");
  return spammer;
}

}  // namespace agora::auth
