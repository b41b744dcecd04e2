#pragma once
// Logging: one spdlog logger built in main and handed to every component.

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace agora {

struct LogConfig;
using Logger = std::shared_ptr<spdlog::logger>;

/// A logger writing to stderr in the configured format ("text" or "json").
Logger make_logger(const LogConfig& config, const std::string& name = "agora");

/// Applies the live-reloadable parts of LogConfig (the level).
void apply_log_level(const Logger& logger, const std::string& level);

}  // namespace agora
