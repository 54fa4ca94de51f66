// Files on every backend (native io_uring ops, worker threads on epoll): round trips, offsets,
// append, fsync, errors naming the path, closed files, bad modes.
#include "runtime/fs/file.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class file_test : public conformance {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hf-file-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  static std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static std::string text(const std::vector<std::byte>& b) {
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  std::string dir_;
};

TEST_P(file_test, write_file_then_read_file) {
  std::string p = path("a.txt");
  std::string big(300000, 'x');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  run_real([&]() -> task<void> {
    co_await write_file(p, std::string_view(big));
    auto back = co_await read_file(p);
    EXPECT_TRUE(text(back) == big);
  });
  EXPECT_TRUE(slurp(p) == big);  // what another reader of the file sees
}

TEST_P(file_test, positional_reads_and_writes) {
  std::string p = path("b.bin");
  run_real([&]() -> task<void> {
    async_file f = co_await open_file(p, "w+");
    co_await f.write_all(std::string_view("0123456789"));
    std::string_view patch = "AB";
    EXPECT_EQ(co_await f.write(std::as_bytes(std::span(patch)), 4), 2u);
    std::byte buf[4];
    EXPECT_EQ(co_await f.read(buf, 3), 4u);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf), 4), "3AB6");
    EXPECT_EQ(co_await f.read(buf, 10), 0u);  // at the end
    co_await f.fsync();
    f.close();
    EXPECT_FALSE(f.is_open());
    EXPECT_THROW(co_await f.read(buf), closed_resource_error);
  });
  EXPECT_EQ(slurp(p), "0123AB6789");
}

TEST_P(file_test, sequential_reads_follow_the_file_position) {
  std::string p = path("c.txt");
  std::ofstream(p) << "hello world";
  run_real([&]() -> task<void> {
    async_file f = co_await open_file(p);
    std::byte buf[6];
    EXPECT_EQ(co_await f.read(buf), 6u);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf), 6), "hello ");
    EXPECT_EQ(text(co_await f.read_all()), "world");
  });
}

TEST_P(file_test, append_mode) {
  std::string p = path("d.log");
  std::ofstream(p) << "one\n";
  run_real([&]() -> task<void> {
    async_file f = co_await open_file(p, "a");
    co_await f.write_all(std::string_view("two\n"));
  });
  EXPECT_EQ(slurp(p), "one\ntwo\n");
}

TEST_P(file_test, errors_name_the_path) {
  run_real([&]() -> task<void> {
    std::string missing = path("does-not-exist");
    try {
      co_await open_file(missing);
      ADD_FAILURE() << "expected ENOENT";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code().value(), ENOENT);
      EXPECT_NE(std::string(e.what()).find(missing), std::string::npos);
    }
    EXPECT_THROW(co_await open_file(path("x"), "q"), argument_error);
    std::ofstream(path("exists")) << "";
    try {
      co_await open_file(path("exists"), "x");
      ADD_FAILURE() << "expected EEXIST";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code().value(), EEXIST);
    }
  });
}

TEST_P(file_test, cancelled_before_open_opens_nothing) {
  std::string p = path("never");
  run_real([&]() -> task<void> {
    cancel_scope sc;
    sc.cancel();
    co_await sc.run([&]() -> task<void> { co_await open_file(p, "w"); });
    EXPECT_TRUE(sc.cancelled_caught());
  });
  EXPECT_FALSE(std::filesystem::exists(p));
}

HF_CONFORMANCE_SUITE(file_test);

}  // namespace
}  // namespace hf::rt::testing
