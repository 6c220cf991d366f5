// Matching a systemd job's JobRemoved signal to the job StartUnit created. The match is
// installed before StartUnit is sent, so signals can arrive before the reply names the job: they
// are kept until then, and only then compared.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace patchparty::rollback {

struct JobWait {
  std::optional<std::string> job;         // StartUnit's job path, once its reply arrived
  std::optional<std::string> result;      // that job's JobRemoved result: done, failed, ...
  std::optional<std::string> call_error;  // "StartUnit: org.freedesktop.systemd1.NoSuchUnit: ..."

  // A JobRemoved signal for any job of the manager.
  void removed(std::string path, std::string res) {
    if (!job) {
      early_.emplace_back(std::move(path), std::move(res));
    } else if (path == *job && !result) {
      result = std::move(res);
    }
  }

  // StartUnit's reply: the job to wait for.
  void started(std::string path) {
    job = std::move(path);
    for (auto& [p, r] : early_)
      if (p == *job && !result) result = std::move(r);
    early_.clear();
  }

 private:
  // Kept only until the reply, so a busy system bus cannot grow it for long.
  std::vector<std::pair<std::string, std::string>> early_;
};

}  // namespace patchparty::rollback
