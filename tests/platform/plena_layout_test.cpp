// The PLENA layout contract over the whole suite: every placement it accepts lies inside the
// preset's memories, nothing overlaps, and the writable range is exactly the scratch area.
#include "kernelcraft/platform/plena_layout.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc {
namespace {

struct Span {
  uint64_t begin, end;
  std::string what;
};

void expect_disjoint(std::vector<Span> spans, const std::string& where) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < spans.size(); ++i)
    EXPECT_LE(spans[i - 1].end, spans[i].begin)
        << where << ": " << spans[i - 1].what << " overlaps " << spans[i].what;
}

TEST(PlenaLayout, EveryAcceptedPlacementFitsAndNothingOverlaps) {
  const PlenaPlatform plena(KC_SOURCE_DIR);
  const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  int accepted = 0, rejected = 0;
  for (const std::string& preset : plena.preset_names()) {
    const plena::HardwareConfig& hw = plena.config(preset);
    for (const auto& task : suite)
      for (const std::string& config : task->config_names()) {
        const std::string where = task->name + " " + config + " on " + preset;
        WorkloadLayout layout;
        try {
          layout = plena.layout(bind_task(task, config), preset);
        } catch (const InputError& e) {
          ++rejected;
          EXPECT_NE(std::string(e.what()).find("preset '" + preset + "'"), std::string::npos) << e.what();
          continue;
        }
        ++accepted;
        std::vector<Span> hbm, vsram;
        for (const TensorPlacement& p : layout.tensors) {
          const uint64_t n = static_cast<uint64_t>(p.elements());
          if (p.memory == "hbm") {
            hbm.push_back({p.address, p.address + n, p.tensor});
            hbm.push_back({p.scale_address, p.scale_address + (n + 7) / 8, p.tensor + " scales"});
          } else {
            ASSERT_EQ(p.memory, "vsram");
            EXPECT_EQ(p.address % hw.vlen, 0u) << where;
            vsram.push_back({p.address, p.address + n, p.tensor});
          }
        }
        for (const MemoryRange& w : layout.writable) hbm.push_back({w.begin, w.end, "scratch"});
        for (const Span& s : hbm) EXPECT_LE(s.end, hw.hbm_bytes) << where << ": " << s.what;
        for (const Span& s : vsram) EXPECT_LE(s.end, hw.vector_sram_elems) << where << ": " << s.what;
        EXPECT_LE(layout.setting("vsram_free_address"), hw.vector_sram_elems) << where;
        expect_disjoint(hbm, where);
        expect_disjoint(vsram, where);
        EXPECT_LE(layout.constants.size(), hw.fp_sram_elems);
        EXPECT_EQ(layout.constants[2].name, "neg_inf");
      }
  }
  EXPECT_GT(accepted, 200);  // every default-preset configuration and most of the others
  EXPECT_GT(rejected, 0);    // the small preset cannot hold the largest configurations
}

TEST(PlenaLayout, EveryDefaultPresetConfigurationOfAPlenaTaskIsAccepted) {
  const PlenaPlatform plena(KC_SOURCE_DIR);
  for (const auto& task : load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks")) {
    if (!task->supports("plena")) continue;
    for (const std::string& config : task->config_names())
      EXPECT_NO_THROW(plena.layout(bind_task(task, config), "default")) << task->name << " " << config;
  }
}

}  // namespace
}  // namespace kc
