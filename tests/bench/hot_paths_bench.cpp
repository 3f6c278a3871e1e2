// Micro-benchmarks of the per-record hot paths, with Google Benchmark: what one record costs in
// parsing, the buffer, and encoding. Run by tests/bench/run.sh (or build/tests/sluice_benchmarks).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "agent/encode/ecs_json.h"
#include "buffer/ring_buffer.h"
#include "buffer/segment.h"
#include "inputs/devlog/syslog_parse.h"
#include "inputs/docker/log_stream.h"
#include "outputs/syslog/syslog_format.h"
#include "tests/support/container_logs.h"

namespace sluice {
namespace {

constexpr int64_t kNow = 1795000000LL * 1000000000LL;  // Nov 2026

// The benchmark workload's datagram: a 200-byte RFC 3164 line as glibc's syslog(3) sends it.
std::string rfc3164_line() {
  std::string line = "<14>Nov 24 21:00:00 app[1]: bench 123456 ";
  line.append(200 - line.size(), 'x');
  return line;
}

std::string rfc5424_line() {
  std::string line =
      "<165>1 2026-11-24T21:00:00.123456Z web-3 shop 42 ORDER [order@32473 id=\"7\"] bench ";
  line.append(200 - line.size(), 'x');
  return line;
}

void BM_ParseRfc3164(benchmark::State& state) {
  const std::string line = rfc3164_line();
  for (auto _ : state) benchmark::DoNotOptimize(syslog::parse(line, kNow));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_ParseRfc3164);

// As the devlog input reads a burst from one sender: the Parser remembers the header the
// lines share, and each record is made of its parse.
void BM_RecordRfc3164Burst(benchmark::State& state) {
  const std::string line = rfc3164_line();
  syslog::Parser parser;
  syslog::Grammar grammar;
  for (auto _ : state) benchmark::DoNotOptimize(parser.record(line, kNow, grammar));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_RecordRfc3164Burst);

void BM_ParseRfc5424(benchmark::State& state) {
  const std::string line = rfc5424_line();
  for (auto _ : state) benchmark::DoNotOptimize(syslog::parse(line, kNow));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_ParseRfc5424);

Record record_of(const syslog::ParsedMessage& p, const SourceMeta* meta) {
  Record r = syslog::to_record(p, kNow);
  r.meta = meta;
  return r;
}

SourceMeta container_meta() {
  SourceMeta m;
  m.input = "docker";
  m.container_id = std::string(64, 'a');
  m.container_name = "shop-7f9c";
  m.image = "registry.local/shop:1.4.2";
  m.marathon_app_id = "/prod/shop";
  m.mesos_task_id = "prod_shop.1b2c3d4e-0000-11ef-9c2f-0242ac110002";
  m.labels = {{"team", "payments"}};
  return m;
}

// A buffer with one output, and a container's record to push into it.
struct BufferBench {
  std::string line = rfc3164_line();
  std::shared_ptr<const SourceMeta> meta = std::make_shared<const SourceMeta>(container_meta());
  Record r = record_of(syslog::parse(line, kNow), meta.get());
  RingBuffer buffer{64 << 20, WhenFull::drop_newest};
  RingBuffer::ConsumerId id = buffer.add_consumer([] {});
};

// One record in, one record out: push into the ring buffer, read it back, acknowledge it.
void BM_BufferPushReadAck(benchmark::State& state) {
  BufferBench b;
  auto& [line, meta, r, buffer, id] = b;
  size_t bytes = 0;
  for (auto _ : state) {
    buffer.push(r, meta);
    buffer.read(id, 1, [&](const Record& got) { bytes += got.message.size(); });
    buffer.ack(id, 1);
  }
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_BufferPushReadAck);

// Batches as the devlog input and an output use them: 256 pushed, then read and acknowledged.
void BM_BufferBatch256(benchmark::State& state) {
  BufferBench b;
  auto& [line, meta, r, buffer, id] = b;
  size_t bytes = 0;
  for (auto _ : state) {
    for (int i = 0; i < 256; ++i) buffer.push(r, meta);
    const size_t n = buffer.read(id, 256, [&](const Record& got) { bytes += got.message.size(); });
    buffer.ack(id, n);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 256));
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_BufferBatch256);

void BM_EncodeEcsJson(benchmark::State& state) {
  const std::string line = rfc3164_line();
  const SourceMeta meta = container_meta();
  const Record r = record_of(syslog::parse(line, kNow), &meta);
  std::string out;
  for (auto _ : state) {
    out.clear();
    encode::append_ecs_json(r, "node-7", out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_EncodeEcsJson);

// As the syslog output formats: into room it keeps, sized by the message's bound.
void format_rfc5424(benchmark::State& state, const SourceMeta& meta, syslog::Framing framing) {
  const std::string line = rfc3164_line();
  Record r = record_of(syslog::parse(line, kNow), &meta);
  r.pid = 4242;
  syslog::FormatOptions o;
  o.hostname = "node-7";
  o.framing = framing;
  std::string room(syslog::message_bound(r, o), '\0');
  size_t size = 0;
  for (auto _ : state) {
    bool cut;
    size = syslog::format_message(r, o, room.data(), cut);
    benchmark::DoNotOptimize(room.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

// A container's record, with all its metadata, octet counted.
void BM_FormatRfc5424(benchmark::State& state) {
  format_rfc5424(state, container_meta(), syslog::Framing::octet_counting);
}
BENCHMARK(BM_FormatRfc5424);

// A /dev/log record as the benchmark's scenario 1 sends it: LF framed.
void BM_FormatRfc5424Devlog(benchmark::State& state) {
  SourceMeta meta;
  meta.input = "local";
  format_rfc5424(state, meta, syslog::Framing::lf);
}
BENCHMARK(BM_FormatRfc5424Devlog);

// A multiplexed log stream as podman sends it: 8-byte header, timestamp, 100-byte line.
void BM_DecodeDockerFrames(benchmark::State& state) {
  std::string stream;
  const std::string payload = "2026-11-24T21:00:00.123456789Z " + std::string(99, 'y') + "\n";
  for (int i = 0; i < 1000; ++i) {
    const uint32_t n = static_cast<uint32_t>(payload.size());
    const char header[8] = {1,
                            0,
                            0,
                            0,
                            static_cast<char>(n >> 24),
                            static_cast<char>(n >> 16),
                            static_cast<char>(n >> 8),
                            static_cast<char>(n)};
    stream.append(header, 8).append(payload);
  }
  docker::LogStreamDecoder decoder(false, 1 << 20);
  size_t lines = 0;
  for (auto _ : state) decoder.feed(stream, [&](const docker::LogLine&) { ++lines; });
  state.SetItemsProcessed(static_cast<int64_t>(lines));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_DecodeDockerFrames);

// A full 1 MiB segment of realistic container logs, as an outage seals them.
struct FullSegment {
  std::vector<std::string> lines;
  Segment segment{1 << 20};
  Pages spare;  // the memory compression frees, which the buffer keeps for the next segment
  FullSegment() {
    const auto meta = std::make_shared<const SourceMeta>(container_meta());
    segment.reset(0);
    for (uint64_t i = 0;; ++i) {
      lines.push_back(test::container_log_line(i));
      Record r;
      r.message = lines.back();
      r.app_name = "shop";
      r.event_ns = kNow + static_cast<int64_t>(i) * 1000000;
      r.receive_ns = r.event_ns + 350000;
      if (!segment.append(r, meta)) break;
    }
  }
};

// Compression of one sealed segment, per record: what an outage costs in CPU.
void BM_SegmentCompress(benchmark::State& state) {
  FullSegment full;
  for (auto _ : state) {
    Segment& s = full.segment;
    full.spare = s.compress();
    state.PauseTiming();
    s.decompress(std::move(full.spare));
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * full.segment.count()));
  // What the same MiB holds, uncompressed and compressed, in the same run.
  Segment& s = full.segment;
  const double records = s.count(), mib = 1 << 20;
  state.counters["records_per_MiB"] = records / (static_cast<double>(s.capacity()) / mib);
  full.spare = s.compress();
  state.counters["records_per_MiB_zstd"] = records / (static_cast<double>(s.footprint()) / mib);
  s.decompress(std::move(full.spare));
}
BENCHMARK(BM_SegmentCompress);

// Decompression when the output returns, per record.
void BM_SegmentDecompress(benchmark::State& state) {
  FullSegment full;
  for (auto _ : state) {
    state.PauseTiming();
    full.spare = full.segment.compress();
    state.ResumeTiming();
    full.segment.decompress(std::move(full.spare));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * full.segment.count()));
}
BENCHMARK(BM_SegmentDecompress);

}  // namespace
}  // namespace sluice

BENCHMARK_MAIN();
