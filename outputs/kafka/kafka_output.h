// The Kafka output: librdkafka's producer (zstd, acks=all, idempotent) driven by the libuv loop.
// A record is settled only by its delivery report: delivered, or dropped with the broker's
// reason for a permanent error. A full producer queue pauses reading; it never drops.
#pragma once

#include "agent/component.h"

namespace sluice::kafka {

extern const OutputKind kind;

}  // namespace sluice::kafka
