#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/run/results_store.h"

namespace kc::cli {
namespace {

struct MergeOptions {
  std::vector<std::string> shards;
  std::string out;
};

int merge_command(const CommandIo& io, const MergeOptions& o) {
  const std::size_t episodes = run::merge_runs(o.shards, o.out);
  io.out << "merged " << o.shards.size() << " shards into " << o.out << ": " << episodes << " episodes\n";
  return kExitOk;
}

}  // namespace

Handler add_merge_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<MergeOptions>();
  CLI::App* cmd = app.add_subcommand("merge", "combine the shard folders of one run into one run folder");
  cmd->add_option("SHARD", o->shards, "shard run folders")->required();
  cmd->add_option("--out,-o", o->out, "merged run folder (new)")->required();
  return [&io, o]() { return merge_command(io, *o); };
}

}  // namespace kc::cli
