#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <thread>

TEST_CASE("std::thread runs with the posix thread model") {
  int value = 0;
  std::thread t([&] { value = 42; });
  t.join();
  REQUIRE(value == 42);
}
