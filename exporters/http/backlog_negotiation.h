// Which backlog format a request gets: ?format= when given (it is explicit), else the Accept
// header with its q-values, else JSON.
#pragma once

#include <optional>
#include <string_view>

#include "core/base/result.h"
#include "exporters/backlog/backlog_writers.h"

namespace patchparty::http {

// json, csv or markdown. invalid_argument (400) for a ?format= other than json, csv, md or
// markdown; failed_precondition (406) for an Accept that names none of application/json,
// text/csv, text/markdown (wildcards included: */* and application/* mean JSON, text/* Markdown).
[[nodiscard]] Result<exporters::BacklogFormat> negotiate_backlog_format(
    std::optional<std::string_view> format_param, std::optional<std::string_view> accept);

// "application/json", "text/csv; charset=utf-8; header=present", "text/markdown; charset=utf-8"
std::string_view backlog_content_type(exporters::BacklogFormat f);

}  // namespace patchparty::http
