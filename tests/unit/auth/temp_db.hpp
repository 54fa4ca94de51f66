// A key database path in a fresh temporary folder, removed with everything in it at scope end.
//   temp_db db;  key_store keys(db.path());  ...  db.all_bytes()  // what is stored on disk
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace hf::auth {

class temp_db {
 public:
  temp_db() {
    dir_ = std::filesystem::temp_directory_path() /
           ("hfserve-keys-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
  }
  ~temp_db() { std::filesystem::remove_all(dir_); }
  temp_db(const temp_db&) = delete;
  temp_db& operator=(const temp_db&) = delete;
  std::filesystem::path path() const { return dir_ / "keys.db"; }
  std::string all_bytes() const {  // the database and its WAL, as stored on disk
    std::string out;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      std::ifstream in(e.path(), std::ios::binary);
      out.append(std::istreambuf_iterator<char>(in), {});
    }
    return out;
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
};

}  // namespace hf::auth
