#include "harness.hpp"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include <deque>
#include <filesystem>

#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

namespace cl::api::test {

namespace {

using namespace std::chrono_literals;

void bump_peak(std::atomic<int>& peak, int v) {
  int cur = peak.load();
  while (v > cur && !peak.compare_exchange_weak(cur, v)) {
  }
}

struct Producer {
  std::shared_ptr<ToyState> toys;
  std::int64_t n = 0;
  std::int64_t fail_at = -1;
  std::string pad;
  std::int64_t next = 0;
  ~Producer() { toys->pumps_destroyed++; }
};

struct Ticker {
  Ticker(boost::asio::io_context& io, int count) : timer(io), n(count) {}
  boost::asio::steady_timer timer;
  int n;
  int made = 0;
  std::deque<int> queue;
  std::weak_ptr<Call> call;
};

void tick(const std::shared_ptr<Ticker>& t) {
  t->timer.expires_after(1ms);
  t->timer.async_wait([t](const boost::system::error_code& ec) {
    auto call = t->call.lock();
    if (ec || !call || call->cancelled()) return;
    t->queue.push_back(t->made++);
    call->wake();
    if (t->made < t->n) tick(t);
  });
}

}  // namespace

TempDir::TempDir() {
  char tmpl[] = "/tmp/cl-api-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

int raw_connect(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

std::string raw_read_lines(int fd, std::size_t lines) {
  std::string all;
  std::size_t seen = 0;
  char buf[64 * 1024];
  while (seen < lines) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    all.append(buf, static_cast<std::size_t>(n));
    seen += static_cast<std::size_t>(std::count(buf, buf + n, '\n'));
  }
  return all;
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return pred();
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

void add_toy_handlers(Server& server, boost::asio::io_context& io, std::shared_ptr<ToyState> toys) {
  server.handle("echo", [](Request req, std::shared_ptr<Call> call) { call->reply(std::move(req.params)); });

  server.handle("fail", [](Request req, std::shared_ptr<Call> call) {
    call->fail(util::Status(util::code_from_name(req.params.value("code", "internal")),
                            req.params.value("message", "")));
  });

  server.handle("slow", [&io](Request req, std::shared_ptr<Call> call) {
    auto timer =
        std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds(req.params.value("ms", 1)));
    timer->async_wait([timer, call, value = req.params.value("value", Json())](
                          const boost::system::error_code&) { call->reply(value); });
  });

  server.handle("hold", [toys](Request, std::shared_ptr<Call> call) {
    // The callback owns the call until the client leaves (close() holds it while cancelling).
    call->on_cancel([call, toys] { toys->cancels++; });
  });

  server.handle("gate", [toys](Request, std::shared_ptr<Call> call) {
    toys->gate.push_back(std::move(call));
    bump_peak(toys->gate_held_peak, ++toys->gate_held);
  });

  server.handle("collect", [toys](Request req, std::shared_ptr<Call> call) {
    toys->collected.push_back(std::move(call));
    if (toys->collected.size() < req.params.at("n").get<std::size_t>()) return;
    auto calls = std::move(toys->collected);
    toys->collected.clear();
    for (auto it = calls.rbegin(); it != calls.rend(); ++it) (*it)->reply((*it)->id());
  });

  server.handle("count", [toys](Request req, std::shared_ptr<Call> call) {
    auto p = std::make_shared<Producer>();
    p->toys = toys;
    p->n = req.params.at("n").get<std::int64_t>();
    p->fail_at = req.params.value("fail_at", std::int64_t{-1});
    p->pad.assign(req.params.value("size", std::size_t{0}), 'x');
    call->on_cancel([toys] { toys->cancels++; });
    call->stream([p](StreamWriter& w) {
      for (;;) {
        if (p->n >= 0 && p->next >= p->n) return Pump::done;
        if (p->next == p->fail_at) {
          w.fail(util::io_error("toy failure at item " + std::to_string(p->next)));
          return Pump::done;
        }
        Json item = p->pad.empty() ? Json(p->next) : Json{{"i", p->next}, {"pad", p->pad}};
        ++p->next;
        p->toys->items_produced++;
        if (!w.write(item)) return Pump::more;
      }
    });
  });

  server.handle("ticker", [&io](Request req, std::shared_ptr<Call> call) {
    auto t = std::make_shared<Ticker>(io, req.params.at("n").get<int>());
    t->call = call;
    call->stream([t](StreamWriter& w) {
      while (!t->queue.empty()) {
        int v = t->queue.front();
        t->queue.pop_front();
        if (!w.write(v)) return Pump::more;
      }
      return t->made >= t->n ? Pump::done : Pump::idle;
    });
    tick(t);
  });

  server.handle("throw_json",
                [](Request req, std::shared_ptr<Call>) { (void)req.params.at("cid").get<std::string>(); });

  server.handle("drop", [](Request, std::shared_ptr<Call>) {});
}

TestServer::TestServer(ServerOptions options)
    : work_(io_.get_executor()), toys_(std::make_shared<ToyState>()) {
  if (options.path.empty()) options.path = dir_.file("raftd.sock");
  path_ = options.path;
  server_ = std::make_unique<Server>(io_, std::move(options));
  add_toy_handlers(*server_, io_, toys_);
  auto st = server_->start();
  INFO(st.to_string());
  REQUIRE(st.is_ok());
  thread_ = std::thread([this] { io_.run(); });
}

TestServer::~TestServer() {
  stop();
  toys_->gate.clear();
  toys_->collected.clear();
}

void TestServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  on_io([this] {
    server_->stop();
    toys_->gate.clear();
    toys_->collected.clear();
  });
  work_.reset();
  thread_.join();
}

Client TestServer::connect() {
  auto c = Client::connect(path_, kWait);
  INFO(c.status().to_string());
  REQUIRE(c.is_ok());
  return std::move(*c);
}

void TestServer::on_io(const std::function<void()>& f) {
  std::promise<void> done;
  boost::asio::post(io_, [&] {
    f();
    done.set_value();
  });
  done.get_future().wait();
}

void TestServer::release_gate() {
  on_io([this] {
    auto calls = std::move(toys_->gate);
    toys_->gate.clear();
    toys_->gate_held = 0;
    for (auto& c : calls) c->reply(Json{{"released", true}});
  });
}

}  // namespace cl::api::test
