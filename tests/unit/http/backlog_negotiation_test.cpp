#include "exporters/http/backlog_negotiation.h"

#include <gtest/gtest.h>

#include "tests/support/test_data.h"

namespace patchparty::http {
namespace {

using exporters::BacklogFormat;

BacklogFormat by_accept(std::string_view accept) {
  auto f = negotiate_backlog_format(std::nullopt, accept);
  EXPECT_OK(f);
  return f.value_or(BacklogFormat::table);
}

TEST(BacklogNegotiation, FormatParameterIsExplicit) {
  EXPECT_EQ(*negotiate_backlog_format("json", "text/csv"), BacklogFormat::json);
  EXPECT_EQ(*negotiate_backlog_format("CSV", std::nullopt), BacklogFormat::csv);
  EXPECT_EQ(*negotiate_backlog_format("md", std::nullopt), BacklogFormat::markdown);
  EXPECT_EQ(*negotiate_backlog_format("markdown", std::nullopt), BacklogFormat::markdown);
  EXPECT_ERRC(negotiate_backlog_format("table", std::nullopt), Errc::invalid_argument);
  EXPECT_ERRC(negotiate_backlog_format("", "application/json"), Errc::invalid_argument);
}

TEST(BacklogNegotiation, NoAcceptMeansJson) {
  EXPECT_EQ(*negotiate_backlog_format(std::nullopt, std::nullopt), BacklogFormat::json);
  EXPECT_EQ(by_accept(""), BacklogFormat::json);
}

TEST(BacklogNegotiation, AcceptWithQualities) {
  EXPECT_EQ(by_accept("text/csv"), BacklogFormat::csv);
  EXPECT_EQ(by_accept("Text/Markdown; charset=utf-8"), BacklogFormat::markdown);
  EXPECT_EQ(by_accept("application/json;q=0.5, text/csv;q=0.8"), BacklogFormat::csv);
  EXPECT_EQ(by_accept("text/csv;q=0.8, application/json"), BacklogFormat::json);
  // Equal q: the first listed.
  EXPECT_EQ(by_accept("text/markdown, text/csv"), BacklogFormat::markdown);
  EXPECT_EQ(by_accept("text/html, */*;q=0.1"), BacklogFormat::json);
  EXPECT_EQ(by_accept("text/*"), BacklogFormat::markdown);
  EXPECT_EQ(by_accept("application/*"), BacklogFormat::json);
  // A browser's usual header ends in */*: JSON.
  EXPECT_EQ(by_accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            BacklogFormat::json);
}

TEST(BacklogNegotiation, UnsatisfiableAcceptIsAPreconditionFailure) {
  EXPECT_ERRC(negotiate_backlog_format(std::nullopt, "text/html"), Errc::failed_precondition);
  EXPECT_ERRC(negotiate_backlog_format(std::nullopt, "text/csv;q=0"), Errc::failed_precondition);
  EXPECT_ERRC(negotiate_backlog_format(std::nullopt, "text/csv;q=abc"), Errc::failed_precondition);
  EXPECT_ERRC(negotiate_backlog_format(std::nullopt, "application/pdf, image/png"),
              Errc::failed_precondition);
}

TEST(BacklogNegotiation, ContentTypes) {
  EXPECT_EQ(backlog_content_type(BacklogFormat::json), "application/json");
  EXPECT_EQ(backlog_content_type(BacklogFormat::csv), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(backlog_content_type(BacklogFormat::markdown), "text/markdown; charset=utf-8");
}

}  // namespace
}  // namespace patchparty::http
