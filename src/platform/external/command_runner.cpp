#include "command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

extern char** environ;

namespace kc::external {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Closes on scope exit; -1 means nothing to close.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

bool make_pipe(Fd& read_end, Fd& write_end, std::string& error) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return error = errno_text("pipe2"), false;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return true;
}

// Appends what is readable on `fd` to `sink` (up to `cap` bytes kept); false at end of file.
bool drain(int fd, std::string& sink, std::size_t cap, bool& overflowed) {
  char buffer[65536];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  const std::size_t room = cap > sink.size() ? cap - sink.size() : 0;
  sink.append(buffer, std::min<std::size_t>(room, static_cast<std::size_t>(n)));
  if (static_cast<std::size_t>(n) > room) overflowed = true;
  return true;
}

// True once `pid` has exited; it stays a zombie (WNOWAIT) so its process-group id cannot be
// reused before we kill the group.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return errno != EINTR;
  return info.si_pid == pid;
}

}  // namespace

std::string resolve_program(const std::string& program, const std::string& base_dir) {
  if (program.empty()) return "";
  if (program.find('/') != std::string::npos) {
    fs::path path(program);
    if (path.is_relative() && !base_dir.empty()) path = fs::path(base_dir) / path;
    return is_executable_file(path.string()) ? path.string() : "";
  }
  const char* env = std::getenv("PATH");
  std::stringstream dirs(env && *env ? env : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (fs::path(dir.empty() ? "." : dir) / program).string();
    if (is_executable_file(candidate)) return candidate;
  }
  return "";
}

CommandOutcome run_command(const std::vector<std::string>& argv, const std::string& workdir,
                           const std::string& stdin_path, const CommandLimits& limits) {
  CommandOutcome outcome;
  if (argv.empty()) {
    outcome.error = "empty command";
    return outcome;
  }
  const std::string input = stdin_path.empty() ? "/dev/null" : stdin_path;
  Fd in(::open(input.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) {
    outcome.error = errno_text("opening stdin file " + input);
    return outcome;
  }
  Fd out_read, out_write, err_read, err_write;
  if (!make_pipe(out_read, out_write, outcome.error) || !make_pipe(err_read, err_write, outcome.error))
    return outcome;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  if (!workdir.empty()) posix_spawn_file_actions_addchdir_np(&actions, workdir.c_str());

  // Own process group (so a timeout kills what the command started), default signal handling and
  // an empty signal mask, whatever the harness set for itself.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attributes, &empty);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> storage = argv;
  std::vector<char*> args;
  for (std::string& a : storage) args.push_back(a.data());
  args.push_back(nullptr);

  const auto start = Clock::now();
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, storage[0].c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    outcome.error = storage[0] + ": " + std::strerror(rc);
    return outcome;
  }
  outcome.started = true;
  // Our copies of the write ends must close, or the reads below never see end of file.
  out_write.reset();
  err_write.reset();
  in.reset();

  const auto deadline = start + std::chrono::microseconds(static_cast<int64_t>(limits.wall_seconds * 1e6));
  bool out_open = true, err_open = true, err_overflow = false, exited = false;
  int quiet_polls_after_exit = 0;
  while (true) {
    if (!exited) exited = has_exited(pid);
    if (!out_open && !err_open && exited) break;
    // A command that exited but left a child holding its output open: take what is already
    // there, then stop waiting (the child is killed with the group below).
    if (exited && quiet_polls_after_exit >= 2) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      outcome.timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out_read.get() : -1, POLLIN, 0}, {err_open ? err_read.get() : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 20)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0 && exited) ++quiet_polls_after_exit;
    if (out_open && fds[0].revents != 0) {
      out_open = drain(out_read.get(), outcome.out, limits.max_stdout_bytes, outcome.output_too_large);
      if (outcome.output_too_large) break;
    }
    if (err_open && fds[1].revents != 0)
      err_open = drain(err_read.get(), outcome.err, limits.max_stderr_bytes, err_overflow);
  }
  // The leader is still ours (running or a zombie), so its group id cannot have been reused.
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return outcome;
}

std::string first_lines(const std::string& text, std::size_t max_lines) {
  std::string joined;
  std::istringstream lines(text);
  std::size_t taken = 0;
  for (std::string line; taken < max_lines && std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (line.size() > 200) line = line.substr(0, 200) + "...";
    joined += (joined.empty() ? "" : " | ") + line;
    ++taken;
  }
  return joined;
}

}  // namespace kc::external
