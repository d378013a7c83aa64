"""Reading a Hugging Face ``config.json``: key spellings, defaults, and what was not understood.

:class:`HFConfig` merges a multimodal wrapper's ``text_config`` over the top level, looks
keys up under their several spellings, and remembers every key it read, so the importer
can list the keys it did not understand instead of dropping them silently.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from .keys import irrelevant


class ConfigError(ValueError):
    """The config cannot be read as a model at all: one message about one key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key
        self.message = message


class Unresolved(NamedTuple):
    """A key the import could not turn into the model, with its value and why."""

    key: str
    value: Any
    reason: str

    def value_text(self, limit: int = 80) -> str:
        text = json.dumps(self.value, ensure_ascii=False)
        return text if len(text) <= limit else text[: limit - 1] + "…"


#: a number of layers (``int`` is a method name inside :class:`HFConfig`)
Count = int

#: wrappers whose inner config is the language model's (multimodal and unified models)
WRAPPERS = ("text_config", "llm_config", "language_config")
#: groups whose inner keys are accounted for one by one
GROUPED = ("rope_scaling", "rope_parameters")
#: sizes that must be positive whenever a config states them
SIZES = frozenset(
    {
        "hidden_size",
        "n_embd",
        "d_model",
        "num_hidden_layers",
        "n_layer",
        "num_layers",
        "n_layers",
        "num_attention_heads",
        "n_head",
        "vocab_size",
        "head_dim",
        "intermediate_size",
        "num_key_value_heads",
        "moe_intermediate_size",
        "max_position_embeddings",
        "kv_lora_rank",
        "qk_rope_head_dim",
        "v_head_dim",
    }
)


class HFConfig:
    """A config.json, its ``text_config`` merged in, with a record of the keys read."""

    def __init__(self, raw: dict[str, Any]) -> None:
        if not isinstance(raw, dict):
            raise ConfigError("", f"a config.json holds a JSON object, not {_kind(raw)}")
        self.wrapper = next((w for w in WRAPPERS if isinstance(raw.get(w), dict)), None)
        inner = raw[self.wrapper] if self.wrapper else {}
        self.data: dict[str, Any] = {**raw, **inner}
        for w in WRAPPERS:
            self.data.pop(w, None)
        # the text model's type names its code ("gemma3_text" is gemma3's decoder)
        model_type = self.data.get("model_type")
        if model_type is not None and not isinstance(model_type, str):
            raise ConfigError("model_type", f"must be a string, not {_kind(model_type)}")
        self.model_type = (model_type or "unknown").removesuffix("_text")
        self.used: set[str] = set()
        self.refused: dict[str, str] = {}

    def has(self, *keys: str) -> bool:
        return any(self.data.get(k) is not None for k in keys)

    def get(self, *keys: str, default: Any = None) -> Any:
        """The value of the first of ``keys`` that is set (not null).

        Every spelling present is marked as read: they are aliases of one setting.
        """
        self.used.update(k for k in keys if k in self.data)
        for key in keys:
            if self.data.get(key) is not None:
                return self.data[key]
        return default

    def nested(self, key: str, inner: str, default: Any = None) -> Any:
        """``config[key][inner]``, for grouped settings such as ``rope_parameters``."""
        group = self.data.get(key)
        if isinstance(group, dict) and inner in group:
            self.used.add(f"{key}.{inner}")
            return group[inner]
        return default

    def mark(self, *keys: str) -> None:
        """Record keys as understood although their value changes nothing here."""
        self.used.update(k for k in keys if k in self.data or "." in k)

    def refuse(self, key: str, reason: str) -> None:
        """Record that ``key``'s value cannot be said in a model file (yet)."""
        self.refused.setdefault(key, reason)

    def unresolved(self) -> list[Unresolved]:
        """Every key that did not make it into the model, in file order: refused values,
        then keys neither read nor known to be irrelevant."""
        out = [Unresolved(k, self._value(k), why) for k, why in self.refused.items()]
        for key, value in _leaves(self.data):
            if key in self.refused or self._understood(key):
                continue
            if not irrelevant(key, value, self.data):
                out.append(Unresolved(key, value, "not understood"))
        return out

    def _understood(self, key: str) -> bool:
        parts = key.split(".")
        return any(".".join(parts[:i]) in self.used for i in range(1, len(parts) + 1))

    def _value(self, key: str) -> Any:
        value: Any = self.data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def head_dim(self) -> int | None:
        """The attention head size: stated, or the width divided by the heads."""
        hidden = self.int("hidden_size", "n_embd", "d_model")
        heads = self.int("num_attention_heads", "n_head")
        explicit = self.int("head_dim", "kv_channels")
        return explicit or (hidden // heads if hidden and heads else None)

    def int(self, *keys: str, default: int | None = None) -> int | None:
        """An integer setting; a value of another type, or a size that is not positive,
        is an error naming the key."""
        key = next((k for k in keys if self.data.get(k) is not None), None)
        value = self.get(*keys)
        if value is None or key is None:
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(key, f"must be a whole number, not {_kind(value)} {value!r:.40}")
        if value < 0 or (value == 0 and key in SIZES):
            raise ConfigError(
                key, f"must be {'positive' if key in SIZES else '0 or more'}, not {value}"
            )
        return value

    def number(self, *keys: str, default: float | None = None) -> float | None:
        """A real-valued setting (a theta, a factor), checked like :meth:`int`."""
        key = next((k for k in keys if self.data.get(k) is not None), None)
        value = self.get(*keys)
        if value is None or key is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(key, f"must be a number, not {_kind(value)} {value!r:.40}")
        return float(value)

    def sequence(self, key: str, length: Count, what: str) -> list[Any] | None:
        """A per-layer list, which must have one entry per layer (``length``)."""
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            raise ConfigError(key, f"must be a list of {what}, not {_kind(value)}")
        if len(value) < length:
            raise ConfigError(
                key, f"has {len(value)} entries for {length} layers; one per layer is needed"
            )
        return value


def _kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _leaves(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(key, value) of every top-level key, with the inner keys of grouped settings
    (``rope_scaling.factor``; per-layer-type groups one level further down)."""
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key in GROUPED and isinstance(value, dict):
            for inner, v in value.items():
                if isinstance(v, dict):
                    out.extend((f"{key}.{inner}.{k}", x) for k, x in v.items())
                else:
                    out.append((f"{key}.{inner}", v))
        else:
            out.append((key, value))
    return out
