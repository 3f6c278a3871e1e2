#include "outputs/elasticsearch/bulk_response.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <climits>

namespace sluice::elasticsearch {
namespace {

// Reads the response as it is parsed and keeps each item's status and error type only: a DOM of
// a 5,000-item response takes about 1 MiB, this a few hundred bytes besides the results.
// Expected: {"items":[{"<op>":{"status":N,"error":{"type":"..."},...}},...],...}; everything
// else is skipped. The first of duplicate keys counts, as a DOM lookup would have it.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
 public:
  Handler(size_t items, std::vector<ItemResult>& out) : items_(items), out_(out) {}

  bool complete() const { return items_seen_ && depth_ == 0; }

  bool Null() { return scalar(); }
  bool Bool(bool) { return scalar(); }
  bool Int(int i) { return scalar(true, i); }
  bool Uint(unsigned u) { return scalar(u <= INT_MAX, static_cast<int>(u)); }
  bool Int64(int64_t) { return scalar(); }
  bool Uint64(uint64_t) { return scalar(); }
  bool Double(double) { return scalar(); }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (role() == Role::error && next_ == Next::type) type_.assign(s, n);
    return scalar();
  }

  bool Key(const char* s, rapidjson::SizeType n, bool) {
    const std::string_view key(s, n);
    next_ = Next::other;
    switch (role()) {
      case Role::top:
        if (key == "items" && !items_seen_) next_ = Next::items;
        break;
      case Role::item:
        if (++members_ > 1) return false;  // an item is one action
        break;
      case Role::result:
        if (key == "status" && !has_status_) next_ = Next::status;
        if (key == "error" && !has_error_) next_ = Next::error, has_error_ = true;
        break;
      case Role::error:
        if (key == "type" && !has_type_) next_ = Next::type, has_type_ = true;
        break;
      default:
        break;
    }
    return true;
  }

  bool StartObject() {
    Role r = Role::other;
    switch (role()) {
      case Role::none:
        r = Role::top;
        break;
      case Role::top:
        if (next_ == Next::items) return false;
        break;
      case Role::items:
        r = Role::item, members_ = 0;
        break;
      case Role::item:
        r = Role::result, status_ = 0, type_.clear();
        has_status_ = has_error_ = has_type_ = false;
        break;
      case Role::result:
        if (next_ == Next::status) return false;
        if (next_ == Next::error) r = Role::error;
        break;
      default:
        break;
    }
    return open(r);
  }

  bool StartArray() {
    switch (role()) {
      case Role::none:
      case Role::items:
      case Role::item:
        return false;  // the body, an item and its result are objects
      case Role::top:
        return open(next_ == Next::items ? Role::items : Role::other);
      case Role::result:
        if (next_ == Next::status) return false;
        return open(Role::other);
      default:
        return open(Role::other);
    }
  }

  bool EndObject(rapidjson::SizeType) {
    switch (role()) {
      case Role::item:
        if (members_ != 1) return false;
        break;
      case Role::result:
        if (!has_status_ || out_.size() == items_) return false;
        out_.push_back(classify());
        break;
      default:
        break;
    }
    return close();
  }

  bool EndArray(rapidjson::SizeType) {
    if (role() == Role::items) {
      if (out_.size() != items_) return false;
      items_seen_ = true;
    }
    return close();
  }

 private:
  // What the object or array at a depth is; deeper than an item's error, all is skipped.
  enum class Role : uint8_t { none, top, items, item, result, error, other };
  // What the value after the last key is.
  enum class Next : uint8_t { other, items, status, error, type };
  static constexpr size_t kTracked = 6;

  Role role() const { return depth_ < kTracked ? roles_[depth_] : Role::other; }

  bool open(Role r) {
    ++depth_;
    if (depth_ < kTracked) roles_[depth_] = r;
    next_ = Next::other;
    return true;
  }
  bool close() {
    --depth_;
    next_ = Next::other;
    return true;
  }

  // A number, string, bool or null where it stands; the status must be an int.
  bool scalar(bool is_int = false, int value = 0) {
    switch (role()) {
      case Role::none:
      case Role::items:
      case Role::item:
        return false;  // not an object where one must be
      case Role::top:
        if (next_ == Next::items) return false;
        break;
      case Role::result:
        if (next_ == Next::status) {
          if (!is_int) return false;
          status_ = value;
          has_status_ = true;
        }
        break;
      default:
        break;
    }
    next_ = Next::other;
    return true;
  }

  ItemResult classify() const {
    if ((status_ >= 200 && status_ < 300) || status_ == 409) return {Outcome::delivered, ""};
    if (status_ == 429 || status_ >= 500) return {Outcome::retry, type_};
    return {Outcome::rejected, type_.empty() ? "http_" + std::to_string(status_) : type_};
  }

  const size_t items_;
  std::vector<ItemResult>& out_;
  Role roles_[kTracked] = {Role::none};
  size_t depth_ = 0;
  Next next_ = Next::other;
  bool items_seen_ = false;
  int members_ = 0;
  int status_ = 0;
  bool has_status_ = false, has_error_ = false, has_type_ = false;
  std::string type_;
};

}  // namespace

bool parse_bulk_response(std::string_view body, size_t items, std::vector<ItemResult>& out) {
  out.clear();
  out.reserve(items);
  Handler h(items, out);
  rapidjson::MemoryStream ms(body.data(), body.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
  rapidjson::Reader reader;
  // Iterative: the body comes from the network, and the recursive parser overflows the stack on
  // deep nesting (a 1 MB body of '[' crashes the agent).
  const bool ok = !reader.Parse<rapidjson::kParseIterativeFlag>(in, h).IsError();
  return ok && h.complete();
}

}  // namespace sluice::elasticsearch
