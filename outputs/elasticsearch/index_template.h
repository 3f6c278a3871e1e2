// The Elasticsearch templates sluice installs with manage_template = true: the field types of
// the ECS documents it writes, for daily indices (sluice-*) and data streams (logs-sluice-*).
// packaging/elasticsearch/ ships the same text; a test keeps them identical.
#pragma once

#include <string_view>

namespace sluice::elasticsearch {

inline constexpr std::string_view kIndexTemplateName = "sluice";
inline constexpr std::string_view kIndexTemplate = R"json({
  "index_patterns": [
    "sluice-*"
  ],
  "priority": 200,
  "_meta": {
    "description": "sluice: ECS fields of log records, one index per day"
  },
  "template": {
    "mappings": {
      "dynamic": true,
      "properties": {
        "@timestamp": {
          "type": "date_nanos"
        },
        "event": {
          "properties": {
            "created": {
              "type": "date_nanos"
            }
          }
        },
        "message": {
          "type": "match_only_text"
        },
        "host": {
          "properties": {
            "name": {
              "type": "keyword"
            }
          }
        },
        "log": {
          "properties": {
            "syslog": {
              "properties": {
                "facility": {
                  "properties": {
                    "code": {
                      "type": "long"
                    },
                    "name": {
                      "type": "keyword"
                    }
                  }
                },
                "severity": {
                  "properties": {
                    "code": {
                      "type": "long"
                    },
                    "name": {
                      "type": "keyword"
                    }
                  }
                },
                "hostname": {
                  "type": "keyword"
                },
                "appname": {
                  "type": "keyword"
                },
                "procid": {
                  "type": "keyword"
                },
                "msgid": {
                  "type": "keyword"
                },
                "structured_data": {
                  "type": "keyword",
                  "ignore_above": 8191
                }
              }
            }
          }
        },
        "process": {
          "properties": {
            "pid": {
              "type": "long"
            }
          }
        },
        "stream": {
          "type": "keyword"
        },
        "container": {
          "properties": {
            "id": {
              "type": "keyword"
            },
            "name": {
              "type": "keyword"
            },
            "image": {
              "properties": {
                "name": {
                  "type": "keyword"
                }
              }
            },
            "labels": {
              "type": "flattened"
            }
          }
        },
        "marathon": {
          "properties": {
            "app_id": {
              "type": "keyword"
            }
          }
        },
        "mesos": {
          "properties": {
            "task_id": {
              "type": "keyword"
            }
          }
        },
        "kubernetes": {
          "properties": {
            "pod": {
              "properties": {
                "name": {
                  "type": "keyword"
                }
              }
            },
            "namespace": {
              "type": "keyword"
            },
            "container": {
              "properties": {
                "name": {
                  "type": "keyword"
                }
              }
            }
          }
        },
        "sluice": {
          "properties": {
            "input": {
              "type": "keyword"
            }
          }
        }
      }
    }
  }
}
)json";

inline constexpr std::string_view kDataStreamTemplateName = "sluice-logs";
inline constexpr std::string_view kDataStreamTemplate = R"json({
  "index_patterns": [
    "logs-sluice-*"
  ],
  "priority": 200,
  "data_stream": {},
  "_meta": {
    "description": "sluice: ECS fields of log records, as a data stream"
  },
  "template": {
    "mappings": {
      "dynamic": true,
      "properties": {
        "@timestamp": {
          "type": "date_nanos"
        },
        "event": {
          "properties": {
            "created": {
              "type": "date_nanos"
            }
          }
        },
        "message": {
          "type": "match_only_text"
        },
        "host": {
          "properties": {
            "name": {
              "type": "keyword"
            }
          }
        },
        "log": {
          "properties": {
            "syslog": {
              "properties": {
                "facility": {
                  "properties": {
                    "code": {
                      "type": "long"
                    },
                    "name": {
                      "type": "keyword"
                    }
                  }
                },
                "severity": {
                  "properties": {
                    "code": {
                      "type": "long"
                    },
                    "name": {
                      "type": "keyword"
                    }
                  }
                },
                "hostname": {
                  "type": "keyword"
                },
                "appname": {
                  "type": "keyword"
                },
                "procid": {
                  "type": "keyword"
                },
                "msgid": {
                  "type": "keyword"
                },
                "structured_data": {
                  "type": "keyword",
                  "ignore_above": 8191
                }
              }
            }
          }
        },
        "process": {
          "properties": {
            "pid": {
              "type": "long"
            }
          }
        },
        "stream": {
          "type": "keyword"
        },
        "container": {
          "properties": {
            "id": {
              "type": "keyword"
            },
            "name": {
              "type": "keyword"
            },
            "image": {
              "properties": {
                "name": {
                  "type": "keyword"
                }
              }
            },
            "labels": {
              "type": "flattened"
            }
          }
        },
        "marathon": {
          "properties": {
            "app_id": {
              "type": "keyword"
            }
          }
        },
        "mesos": {
          "properties": {
            "task_id": {
              "type": "keyword"
            }
          }
        },
        "kubernetes": {
          "properties": {
            "pod": {
              "properties": {
                "name": {
                  "type": "keyword"
                }
              }
            },
            "namespace": {
              "type": "keyword"
            },
            "container": {
              "properties": {
                "name": {
                  "type": "keyword"
                }
              }
            }
          }
        },
        "sluice": {
          "properties": {
            "input": {
              "type": "keyword"
            }
          }
        }
      }
    }
  }
}
)json";

}  // namespace sluice::elasticsearch
