#include "daemon/lifecycle/ingest_pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::lifecycle {
namespace {

IngestPipeline::Item item(int n) {
  Advisory a;
  a.id = "A-" + std::to_string(n);
  return a;
}

std::string id_of(const IngestPipeline::Item& i) {
  if (const auto* a = std::get_if<Advisory>(&i)) return a->id;
  if (const auto* k = std::get_if<KevEntry>(&i)) return k->cve;
  return std::get<EpssScore>(i).cve;
}

TEST(IngestPipeline, WritesEveryItemInPushOrderOnItsOwnThread) {
  std::vector<std::string> written;
  std::thread::id writer_thread;
  IngestPipeline p(
      [&](IngestPipeline::Item&& i) -> Result<> {
        writer_thread = std::this_thread::get_id();
        written.push_back(id_of(i));
        return {};
      },
      8);
  std::vector<std::string> want;
  for (int n = 0; n < 1000; ++n) {
    if (n % 7 == 0) {
      KevEntry k;
      k.cve = "CVE-" + std::to_string(n);
      want.push_back(k.cve);
      ASSERT_OK(p.push(std::move(k)));
    } else {
      want.push_back("A-" + std::to_string(n));
      ASSERT_OK(p.push(item(n)));
    }
  }
  ASSERT_OK(p.finish());
  EXPECT_EQ(written, want);
  EXPECT_NE(writer_thread, std::this_thread::get_id());
}

TEST(IngestPipeline, FewerItemsThanABatchAreWrittenByFinish) {
  int written = 0;
  IngestPipeline p([&](IngestPipeline::Item&&) -> Result<> {
    ++written;
    return {};
  });
  ASSERT_OK(p.push(item(1)));
  ASSERT_OK(p.push(item(2)));
  ASSERT_OK(p.finish());
  EXPECT_EQ(written, 2);
}

TEST(IngestPipeline, WriterErrorStopsPushesAndNothingAfterItIsWritten) {
  std::vector<std::string> written;
  IngestPipeline p(
      [&](IngestPipeline::Item&& i) -> Result<> {
        if (id_of(i) == "A-10") return fail(Errc::invalid_argument, "bad row");
        written.push_back(id_of(i));
        return {};
      },
      4);
  Result<> pushed;
  int n = 0;
  for (; n < 100000 && pushed; ++n) pushed = p.push(item(n));
  EXPECT_FALSE(pushed);  // the parse stops early instead of reading the whole feed
  EXPECT_LT(n, 100000);
  auto finished = p.finish();
  EXPECT_ERRC(finished, Errc::invalid_argument);
  ASSERT_EQ(written.size(), 10u);
  EXPECT_EQ(written.back(), "A-9");
}

TEST(IngestPipeline, PushAfterFinishIsAnError) {
  IngestPipeline p([](IngestPipeline::Item&&) -> Result<> { return {}; }, 1);
  ASSERT_OK(p.finish());
  EXPECT_ERRC(p.push(item(1)), Errc::internal);
}

}  // namespace
}  // namespace patchparty::lifecycle
