#include "subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <algorithm>
#include <cstring>

extern char** environ;

namespace coral::assembler {
namespace {

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

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The request lives in an anonymous file rather than a pipe: the child may die before reading
// it, and a pipe would then block or SIGPIPE the writer.
bool make_input_file(const std::string& input, Fd& out, std::string& error) {
  out.reset(::memfd_create("coral-asm-request", MFD_CLOEXEC));
  if (out.get() < 0) return error = errno_text("memfd_create"), false;
  if (!write_all(out.get(), input) || ::lseek(out.get(), 0, SEEK_SET) != 0)
    return error = errno_text("writing the request"), false;
  return true;
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

// Reads stdout and stderr until both close or the deadline passes.
void collect(int out_fd, int err_fd, const ChildLimits& limits, ChildOutcome& outcome) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(limits.wall_seconds);
  bool out_open = true, err_open = true, err_overflow = false;
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      outcome.timed_out = true;
      return;
    }
    pollfd fds[2] = {{out_open ? out_fd : -1, POLLIN, 0}, {err_open ? err_fd : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) return;
    if (out_open && fds[0].revents != 0) {
      out_open = drain(out_fd, outcome.out, limits.max_stdout_bytes, outcome.output_too_large);
      if (outcome.output_too_large) return;
    }
    if (err_open && fds[1].revents != 0) err_open = drain(err_fd, outcome.err, limits.max_stderr_bytes, err_overflow);
  }
}

void wait_for(pid_t pid, bool kill_first, ChildOutcome& outcome) {
  if (kill_first) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return;
  }
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
}

}  // namespace

std::string ChildOutcome::describe() const {
  if (!started) return "could not start: " + error;
  if (timed_out) return "did not finish in time and was killed";
  if (output_too_large) return "printed more output than allowed and was killed";
  if (signal != 0) return "was ended by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  return "exited with code " + std::to_string(exit_code);
}

ChildOutcome run_child(const std::string& executable, const std::vector<std::string>& args,
                       const std::string& input, const ChildLimits& limits) {
  ChildOutcome outcome;
  Fd in, out_read, out_write, err_read, err_write;
  if (!make_input_file(input, in, outcome.error) || !make_pipe(out_read, out_write, outcome.error) ||
      !make_pipe(err_read, err_write, outcome.error))
    return outcome;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);

  std::vector<std::string> argv_storage;
  argv_storage.push_back(executable);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    outcome.error = executable + ": " + std::strerror(rc);
    return outcome;
  }
  outcome.started = true;
  // Our copies of the write ends must close, or the reads below never see end of file.
  out_write.reset();
  err_write.reset();
  in.reset();
  collect(out_read.get(), err_read.get(), limits, outcome);
  wait_for(pid, outcome.timed_out || outcome.output_too_large, outcome);
  return outcome;
}

}  // namespace coral::assembler
