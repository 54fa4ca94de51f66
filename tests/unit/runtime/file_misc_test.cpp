// Files: empty files, moved handles, read_all after partial reads, on both backends.
#include "runtime/fs/file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/runtime.hpp"

namespace hf::rt {
namespace {

class file_misc : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hf-file-misc-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(file_misc, empty_file_and_moved_handles) {
  std::string p = dir_ + "/empty";
  std::ofstream(p).close();
  for (const char* backend : {"epoll", "io_uring"}) {
    rt::run([&]() -> task<void> {
      EXPECT_TRUE((co_await read_file(p)).empty());
      async_file a = co_await open_file(p, "r+");
      async_file b = std::move(a);
      EXPECT_FALSE(a.is_open());
      EXPECT_TRUE(b.is_open());
      EXPECT_EQ(b.path(), p);
      std::byte buf[4];
      EXPECT_THROW(co_await a.read(buf), closed_resource_error);
      EXPECT_EQ(co_await b.read(buf), 0u);
    }, {.backend = backend});
  }
}

TEST_F(file_misc, large_file_round_trip_in_chunks) {
  std::string p = dir_ + "/big";
  std::vector<std::byte> data(3 * 1024 * 1024 + 17);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i * 131 % 251);
  for (const char* backend : {"epoll", "io_uring"}) {
    rt::run([&]() -> task<void> {
      co_await write_file(p, data);
      async_file f = co_await open_file(p);
      std::vector<std::byte> head(1000);
      EXPECT_EQ(co_await f.read(head), head.size());
      auto rest = co_await f.read_all();
      head.insert(head.end(), rest.begin(), rest.end());
      EXPECT_TRUE(head == data);
    }, {.backend = backend});
  }
}

}  // namespace
}  // namespace hf::rt
