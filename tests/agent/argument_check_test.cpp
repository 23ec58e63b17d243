#include <gtest/gtest.h>

#include "kernelcraft/agent/tool.h"

namespace kc::agent {
namespace {

using nlohmann::json;

const json& view_schema() {
  static const json schema = json::parse(R"({
    "type": "object",
    "properties": {
      "code": {"type": "string", "maxLength": 5},
      "num_rows": {"type": "integer", "minimum": 1, "maximum": 64},
      "scale": {"type": "number", "minimum": 0.5},
      "verbose": {"type": "boolean"},
      "mode": {"type": "string", "enum": ["fast", "exact"]}
    },
    "required": ["code"],
    "additionalProperties": false
  })");
  return schema;
}

std::string check(const std::string& arguments) { return check_arguments(json::parse(arguments), view_schema()); }

TEST(ArgumentCheck, AcceptsArgumentsThatFollowEveryRule) {
  EXPECT_EQ(check(R"({"code": "abc"})"), "");
  EXPECT_EQ(check(R"({"code": "abcde", "num_rows": 64, "scale": 0.5, "verbose": false, "mode": "exact"})"), "");
}

TEST(ArgumentCheck, ArgumentsMustBeAnObject) {
  EXPECT_EQ(check_arguments(json::array(), view_schema()), "arguments must be a JSON object");
  EXPECT_EQ(check_arguments(json("code"), view_schema()), "arguments must be a JSON object");
}

TEST(ArgumentCheck, NamesAMissingRequiredField) {
  EXPECT_EQ(check(R"({"num_rows": 3})"), "missing required field 'code'");
}

TEST(ArgumentCheck, RejectsUnknownFieldsListingTheAllowedOnes) {
  EXPECT_EQ(check(R"({"code": "a", "foo": 1})"),
            "unknown field 'foo' (allowed: code, mode, num_rows, scale, verbose)");
}

TEST(ArgumentCheck, UnknownFieldsAreFineWhenTheSchemaIsOpen) {
  json open = view_schema();
  open.erase("additionalProperties");
  EXPECT_EQ(check_arguments(json::parse(R"({"code": "a", "foo": 1})"), open), "");
  open["additionalProperties"] = true;
  EXPECT_EQ(check_arguments(json::parse(R"({"code": "a", "foo": 1})"), open), "");
}

TEST(ArgumentCheck, StringsMustBeStrings) {
  EXPECT_EQ(check(R"({"code": 5})"), "field 'code' must be a string");
  EXPECT_EQ(check(R"({"code": ["a"]})"), "field 'code' must be a string");
}

TEST(ArgumentCheck, IntegersMayBeIntegralFloatsButNothingElse) {
  EXPECT_EQ(check(R"({"code": "a", "num_rows": 8})"), "");
  EXPECT_EQ(check(R"({"code": "a", "num_rows": 8.0})"), "");
  EXPECT_EQ(check(R"({"code": "a", "num_rows": 8.5})"), "field 'num_rows' must be an integer");
  EXPECT_EQ(check(R"({"code": "a", "num_rows": "8"})"), "field 'num_rows' must be an integer");
  EXPECT_EQ(check(R"({"code": "a", "num_rows": true})"), "field 'num_rows' must be an integer");
}

TEST(ArgumentCheck, NumbersAcceptIntegersAndFloats) {
  EXPECT_EQ(check(R"({"code": "a", "scale": 2})"), "");
  EXPECT_EQ(check(R"({"code": "a", "scale": 2.25})"), "");
  EXPECT_EQ(check(R"({"code": "a", "scale": "2"})"), "field 'scale' must be a number");
}

TEST(ArgumentCheck, BooleansMustBeBooleans) {
  EXPECT_EQ(check(R"({"code": "a", "verbose": true})"), "");
  EXPECT_EQ(check(R"({"code": "a", "verbose": 1})"), "field 'verbose' must be a boolean");
  EXPECT_EQ(check(R"({"code": "a", "verbose": "true"})"), "field 'verbose' must be a boolean");
}

TEST(ArgumentCheck, EnumsListTheirValues) {
  EXPECT_EQ(check(R"({"code": "a", "mode": "fast"})"), "");
  EXPECT_EQ(check(R"({"code": "a", "mode": "slow"})"), "field 'mode' must be one of fast, exact");
}

TEST(ArgumentCheck, MinimumAndMaximumAreInclusiveBounds) {
  EXPECT_EQ(check(R"({"code": "a", "num_rows": 1})"), "");
  EXPECT_EQ(check(R"({"code": "a", "num_rows": 0})"), "field 'num_rows' must be >= 1");
  EXPECT_EQ(check(R"({"code": "a", "num_rows": 65})"), "field 'num_rows' must be <= 64");
  EXPECT_EQ(check(R"({"code": "a", "num_rows": 1e9})"), "field 'num_rows' must be <= 64");
  EXPECT_EQ(check(R"({"code": "a", "scale": 0.49})"), "field 'scale' must be >= 0.5");
}

TEST(ArgumentCheck, MaxLengthCountsCharactersNotBytes) {
  EXPECT_EQ(check(R"({"code": "abcdef"})"), "field 'code' must be at most 5 characters (it has 6)");
  // Five two-byte characters are ten bytes but five characters.
  EXPECT_EQ(check_arguments(json{{"code", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"}}, view_schema()), "");
}

TEST(ArgumentCheck, AnEmptySchemaAcceptsAnyObject) {
  EXPECT_EQ(check_arguments(json::parse(R"({"x": [1, 2]})"), json::object()), "");
  EXPECT_EQ(check_arguments(json::object(), json{{"type", "object"}, {"properties", json::object()}}), "");
}

}  // namespace
}  // namespace kc::agent
