// SPDX-License-Identifier: GPL-2.0
//
// kuchan-eventd into a real systemd-journald, in the VM: journald runs
// standalone (started here, not by systemd), kuchan-eventd writes each
// event to it through the native protocol, and `journalctl -o json` shows
// every event with its fields and its MESSAGE_ID; the module's unload and
// reload come as entries of their own.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "examples/eventd_journal.h"
#include "gtest/gtest.h"
#include "tests/guest/guest_util.h"
#include "tests/guest/typed_ops.h"

namespace kuchan::guest {
namespace {

constexpr char kSocket[] = "/run/systemd/journal/socket";

// Starts argv with stdout and stderr into `log`; returns its pid.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// SIGTERM, then its exit status (128 + signal when killed).
int Stop(pid_t pid) {
  if (pid <= 0) return -1;
  kill(pid, SIGTERM);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Waits until `pred` holds or 10 s pass.
template <typename Pred>
bool WaitFor(Pred pred) {
  const absl::Time end = absl::Now() + absl::Seconds(10);
  while (absl::Now() < end) {
    if (pred()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return pred();
}

uint64_t Multicast(Connection& c) {
  return ReadStats(c).multicast.value_or(0);
}

// The journal's entries matching `matches` (FIELD=value), one JSON object
// each, as journalctl prints them.
std::vector<std::string> JournalEntries(const std::vector<std::string>& matches) {
  std::vector<std::string> argv = {"/usr/bin/journalctl", "-o", "json",
                                   "--no-pager"};
  argv.insert(argv.end(), matches.begin(), matches.end());
  absl::StatusOr<CommandResult> r = RunCommand(argv);
  if (!r.ok() || r->exit_status != 0) return {};
  return absl::StrSplit(r->out, '\n', absl::SkipEmpty());
}

bool Has(const std::string& entry, const std::string& field,
         const std::string& value) {
  return entry.find(absl::StrFormat("\"%s\":\"%s\"", field, value)) !=
         std::string::npos;
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // What journald needs to run alone: cgroup2 where it looks, and a
    // machine id (the guest has neither). The trimmed debug kernel
    // (tests/vm/debug-kernel.config) has no cgroups at all: journald cannot
    // run there, and this suite is for Debian's kernels.
    if (ReadFile("/proc/filesystems").find("\tcgroup2\n") == std::string::npos)
      GTEST_SKIP() << "no cgroup2 in this kernel: journald cannot run";
    mkdir("/sys/fs/cgroup", 0755);
    if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, nullptr) != 0) {
      ASSERT_EQ(errno, EBUSY) << "mounting cgroup2: " << strerror(errno);
    }
    if (access("/etc/machine-id", F_OK) != 0) {
      std::mt19937_64 rng(std::random_device{}());
      std::ofstream(kMachineId) << absl::StrFormat("%016x%016x\n", rng(), rng());
    }
    // The previous test's journald leaves its socket file behind: without
    // this, the wait below would not wait, and kuchan-eventd could send to
    // a socket nobody has bound yet (ECONNREFUSED under load).
    unlink(kSocket);
    journald_ = Spawn({"/lib/systemd/systemd-journald"}, "/tmp/journald.log");
    ASSERT_TRUE(WaitFor([] { return access(kSocket, F_OK) == 0; }))
        << "journald did not start: " << ReadFile("/tmp/journald.log");
  }

  void TearDown() override {
    if (eventd_ > 0) {
      EXPECT_EQ(Stop(eventd_), 0) << ReadFile("/tmp/eventd.log");
    }
    Stop(journald_);
  }

  // Starts kuchan-eventd logging `types` to the journal (with `extra`
  // arguments), and waits until it listens (an EMIT is multicast).
  void StartEventd(const std::string& types,
                   const std::vector<std::string>& extra = {"--output",
                                                           "journal"}) {
    std::ofstream("/tmp/eventd.conf") << types;
    std::vector<std::string> argv = {"/usr/local/bin/kuchan-eventd",
                                     "--config", "/tmp/eventd.conf"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    eventd_ = Spawn(argv, "/tmp/eventd.log");
    Connection c = Connect();
    ASSERT_TRUE(WaitFor([&] {
      const uint64_t before = Multicast(c);
      return Emit(c, 0x10ff, {}).ok() && Multicast(c) > before;
    })) << "kuchan-eventd never joined: " << ReadFile("/tmp/eventd.log");
  }

  static constexpr char kMachineId[] = "/etc/machine-id";
  pid_t journald_ = -1;
  pid_t eventd_ = -1;
};

TEST_F(JournalTest, EventsAreEntriesWithTheirFields) {
  // The output from the configuration alone: nothing here sets
  // $JOURNAL_STREAM, so without it eventd would print to stdout.
  StartEventd("output = journal\ncustom\nsignal_sent\n", {});
  Connection c = Connect();
  constexpr uint32_t kCode = 0x4a0;
  ASSERT_TRUE(Emit(c, kCode, {{"door", "open"}, {"room-7", "a b"}}).ok());
  // A signal through the module, to a child of ours.
  const pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  msg::SignalRequest sig;
  sig.targets.push_back({child, std::nullopt});
  sig.signal = SIGTERM;
  ASSERT_TRUE(c.Signal(sig).ok());
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);

  std::vector<std::string> custom;
  ASSERT_TRUE(WaitFor([&] {
    custom = JournalEntries({absl::StrCat("KUCHAN_CODE=", kCode)});
    return !custom.empty();
  })) << "no entry; eventd said: " << ReadFile("/tmp/eventd.log");
  ASSERT_EQ(custom.size(), 1u);
  const std::string& e = custom[0];
  EXPECT_TRUE(Has(e, "MESSAGE_ID", eventd::EventMessageId(msg::EVENT_CUSTOM))) << e;
  EXPECT_TRUE(Has(e, "KUCHAN_EVENT", "custom")) << e;
  EXPECT_TRUE(Has(e, "KUCHAN_ORIGIN", "user")) << e;
  EXPECT_TRUE(Has(e, "KUCHAN_ACTOR_PID", absl::StrCat(getpid()))) << e;
  EXPECT_TRUE(Has(e, "KUCHAN_ACTOR_UID", "0")) << e;
  EXPECT_TRUE(Has(e, "KUCHAN_DATA_DOOR", "open")) << e;
  EXPECT_TRUE(Has(e, "KUCHAN_DATA_ROOM_7", "a b")) << e;
  EXPECT_TRUE(Has(e, "SYSLOG_IDENTIFIER", "kuchan-eventd")) << e;
  EXPECT_NE(e.find("\"KUCHAN_SEQ\":\""), std::string::npos) << e;
  // A sentence for people: "kuchan event SEQ: pid P (COMM) uid 0 raised
  // custom event 0x4a0 door=open room-7=a b".
  EXPECT_NE(e.find("\"MESSAGE\":\"kuchan event "), std::string::npos) << e;
  EXPECT_NE(e.find(absl::StrFormat("pid %d (", getpid())), std::string::npos)
      << e;
  EXPECT_NE(e.find("raised custom event 0x4a0 door=open room-7=a b\""),
            std::string::npos)
      << e;

  std::vector<std::string> sent;
  ASSERT_TRUE(WaitFor([&] {
    sent = JournalEntries(
        {"KUCHAN_EVENT=signal_sent", absl::StrCat("KUCHAN_TARGET_PID=", child)});
    return !sent.empty();
  }));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(Has(sent[0], "MESSAGE_ID",
                  eventd::EventMessageId(msg::EVENT_SIGNAL_SENT)))
      << sent[0];
  EXPECT_TRUE(Has(sent[0], "KUCHAN_SIGNAL", absl::StrCat(SIGTERM))) << sent[0];
  EXPECT_TRUE(Has(sent[0], "KUCHAN_ERROR", "0")) << sent[0];
}

// Types the configuration leaves out are not logged; SIGHUP re-reads it.
TEST_F(JournalTest, ConfigurationChoosesTypesAndReloads) {
  StartEventd("signal_sent\n");
  Connection c = Connect();
  ASSERT_TRUE(Emit(c, 0x4a1, {}).ok());
  std::ofstream("/tmp/eventd.conf") << "custom\n";
  ASSERT_EQ(kill(eventd_, SIGHUP), 0);
  // The reload is done when eventd says how many types it logs (stdout).
  ASSERT_TRUE(WaitFor([] {
    const std::string log = ReadFile("/tmp/eventd.log");
    size_t n = 0;
    for (size_t at = 0; (at = log.find("logging 1 event types", at)) !=
                        std::string::npos;
         ++at)
      ++n;
    return n >= 2;
  })) << ReadFile("/tmp/eventd.log");
  ASSERT_TRUE(Emit(c, 0x4a2, {}).ok());
  ASSERT_TRUE(WaitFor(
      [] { return !JournalEntries({"KUCHAN_CODE=1186"}).empty(); }));
  EXPECT_TRUE(JournalEntries({"KUCHAN_CODE=1185"}).empty());
}

TEST_F(JournalTest, ModuleUnloadAndReloadAreEntries) {
  StartEventd("custom\n");
  // Waits for the journal to hold a notice of this kind.
  auto logged = [](eventd::Notice n) {
    const std::string match =
        absl::StrCat("MESSAGE_ID=", eventd::NoticeMessageId(n));
    return WaitFor([&] { return !JournalEntries({match}).empty(); });
  };
  ASSERT_TRUE(UnloadModule().ok());
  ASSERT_TRUE(logged(eventd::Notice::kModuleUnloaded))
      << ReadFile("/tmp/eventd.log");
  ASSERT_TRUE(LoadModule().ok());
  ASSERT_TRUE(logged(eventd::Notice::kModuleLoaded))
      << ReadFile("/tmp/eventd.log");
}

// `metric VALUE` lines of a scrape: the value of the one sample named
// `metric` (with its labels), or -1.
double Sample(const std::string& scrape, const std::string& metric) {
  for (absl::string_view line : absl::StrSplit(scrape, '\n')) {
    if (absl::StartsWith(line, metric + " ")) {
      double v;
      if (absl::SimpleAtod(line.substr(metric.size() + 1), &v)) return v;
    }
  }
  return -1;
}

std::string ScrapeMetrics() {
  absl::StatusOr<CommandResult> r = RunCommand(
      {"/bin/busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:9563/metrics"});
  return r.ok() && r->exit_status == 0 ? r->out : "";
}

// The Prometheus endpoint answers a scrape inside the guest, and its
// counters move as events are raised: the module's (GET_STATS at each
// scrape) and the daemon's own.
TEST_F(JournalTest, MetricsEndpointAnswersAScrape) {
  ASSERT_EQ(RunCommand({"/bin/busybox", "ifconfig", "lo", "127.0.0.1", "up"})
                ->exit_status,
            0);
  StartEventd("metrics = 127.0.0.1:9563\ncustom\n", {"--output", "stdout"});
  std::string before;
  ASSERT_TRUE(WaitFor([&] { return !(before = ScrapeMetrics()).empty(); }))
      << ReadFile("/tmp/eventd.log");
  EXPECT_EQ(Sample(before, "kuchan_module_up"), 1) << before;
  EXPECT_NE(before.find("# TYPE kuchan_events_raised_total counter"),
            std::string::npos)
      << before;
  const double raised = Sample(before, "kuchan_events_raised_total");
  const double received = Sample(before, "kuchan_eventd_events_received_total");
  ASSERT_GE(raised, 1) << before;
  ASSERT_GE(received, 0) << before;

  Connection c = Connect();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Emit(c, 0x4a3, {}).ok());
  std::string after;
  ASSERT_TRUE(WaitFor([&] {
    after = ScrapeMetrics();
    return Sample(after, "kuchan_eventd_events_received_total") >= received + 3;
  })) << after;
  EXPECT_GE(Sample(after, "kuchan_events_raised_total"), raised + 3) << after;
  EXPECT_GE(Sample(after, "kuchan_events_raised_by_type_total{type=\"custom\"}"),
            3)
      << after;
  EXPECT_EQ(Sample(after, "kuchan_eventd_events_lost_total"), 0) << after;
}

}  // namespace
}  // namespace kuchan::guest
