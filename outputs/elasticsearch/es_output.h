// The Elasticsearch output: ECS documents through the bulk API, every action a create with a
// deterministic id. Items are settled by their own status in the response; whole requests that
// fail are retried with backoff; 413 splits a batch. Bodies are built compressed as records are
// read (bulk_body.h): the output holds concurrency + 1 bodies' worth at most, not record copies.
#pragma once

#include "agent/component.h"

namespace sluice::elasticsearch {

extern const OutputKind kind;

}  // namespace sluice::elasticsearch
