// Parsing and SQLite writing overlap: the thread that parses a feed hands each record to one
// writer thread through a bounded queue, so an ingest costs about max(parse, write) rather than
// their sum, and memory stays bounded by the queue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::lifecycle {

class IngestPipeline {
 public:
  // The control items of an incremental sync travel in the same queue, so they reach the writer
  // in order with the records.
  struct UpdateInPlace {};
  struct ForgetAdvisory {
    std::string id;
  };
  using Item =
      std::variant<Advisory, KevEntry, EpssScore, CveScores, UpdateInPlace, ForgetAdvisory>;
  using Writer = std::function<Result<>(Item&&)>;

  // `write` runs on the pipeline's own thread, one item at a time, in push order. At most
  // `capacity` items wait in the queue, plus one batch on each side of it.
  explicit IngestPipeline(Writer write, std::size_t capacity = 512);
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;
  ~IngestPipeline();

  // Called from one thread only. Blocks while the queue is full. Once the writer has failed,
  // returns its error, so the parse stops early.
  [[nodiscard]] Result<> push(Item&& item);
  // Waits until every pushed item is written and the thread has ended; the writer's first error.
  [[nodiscard]] Result<> finish();

 private:
  using Batch = std::vector<Item>;

  [[nodiscard]] Result<> flush();
  void run();

  Writer write_;
  std::size_t capacity_, batch_size_;
  Batch pending_;          // the pushing thread's, not yet queued: no lock per item
  bool finished_ = false;  // finish() was called; the pushing thread's too
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::vector<Batch> queue_;
  std::size_t queued_items_ = 0;
  bool closed_ = false;
  std::optional<Error> error_;
  std::atomic<bool> failed_{false};  // error_ is set; read without the lock on every push
  std::thread thread_;
};

}  // namespace patchparty::lifecycle
