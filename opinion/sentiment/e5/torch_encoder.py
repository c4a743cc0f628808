"""The same encoder in PyTorch, for fine-tuning (training time only; needs the ``teacher`` extra).

This module imports torch at import time and nothing in the package imports it:
``tools/train_e5_teacher.py``, the tests and the benchmarks do, after checking torch is
installed. Weights come from an ``E5S1`` file (Q4_0 dequantised to float32); the forward
pass is the numpy one in :mod:`opinion.sentiment.e5.encoder` (post-norm BERT, exact GELU,
positions from 0, mean pooling over every token including ``<s>`` and ``</s>``).

Example:
    >>> encoder = E5TorchEncoder.from_file(read_e5_file(default_model_path()))  # doctest: +SKIP
    >>> encoder(ids, mask).shape  # mean-pooled, (batch, 384)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from opinion.sentiment.e5.encoder import LINEARS
from opinion.sentiment.e5.fileformat import E5Config, E5File


class E5Layer(nn.Module):
    """One post-norm transformer layer with the file's tensor names."""

    def __init__(self, config: E5Config) -> None:
        super().__init__()
        h, ff = config.hidden, config.ffn
        self.heads = config.heads
        self.q, self.k, self.v, self.ao = (nn.Linear(h, h) for _ in range(4))
        self.fi, self.fo = nn.Linear(h, ff), nn.Linear(ff, h)
        self.aln = nn.LayerNorm(h, eps=config.eps)
        self.oln = nn.LayerNorm(h, eps=config.eps)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2)

        context = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)),
                                                 split(self.v(x)), attn_mask=attn_mask)
        x = self.aln(x + self.ao(context.transpose(1, 2).reshape(batch, length, hidden)))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class E5TorchEncoder(nn.Module):
    """multilingual-e5-small as a float PyTorch module returning mean-pooled states."""

    def __init__(self, config: E5Config) -> None:
        super().__init__()
        self.config = config
        self.word = nn.Embedding(config.vocab_rows, config.hidden)
        self.pos = nn.Embedding(config.max_positions, config.hidden)
        self.token_type = nn.Parameter(torch.zeros(config.hidden))
        self.eln = nn.LayerNorm(config.hidden, eps=config.eps)
        self.layers = nn.ModuleList(E5Layer(config) for _ in range(config.layers))

    @classmethod
    def from_file(cls, model: E5File) -> E5TorchEncoder:
        """Build and load every tensor of an ``E5S1`` file."""
        encoder = cls(model.config)
        tensor = model.tensor
        with torch.no_grad():
            encoder.word.weight.copy_(torch.from_numpy(tensor("emb.word")))
            encoder.pos.weight.copy_(torch.from_numpy(tensor("emb.pos")))
            encoder.token_type.copy_(torch.from_numpy(tensor("emb.type")[0]))
            encoder.eln.weight.copy_(torch.from_numpy(tensor("emb.ln.w")))
            encoder.eln.bias.copy_(torch.from_numpy(tensor("emb.ln.b")))
            for index, layer in enumerate(encoder.layers):
                for name in LINEARS:
                    linear = getattr(layer, name)
                    linear.weight.copy_(torch.from_numpy(tensor(f"l{index}.{name}.w")))
                    linear.bias.copy_(torch.from_numpy(tensor(f"l{index}.{name}.b")))
                for name in ("aln", "oln"):
                    norm = getattr(layer, name)
                    norm.weight.copy_(torch.from_numpy(tensor(f"l{index}.{name}.w")))
                    norm.bias.copy_(torch.from_numpy(tensor(f"l{index}.{name}.b")))
        return encoder

    def export_tensors(self) -> dict[str, np.ndarray]:
        """Every weight under the file's names (float32 numpy), for ``write_e5_file``."""
        out = {"emb.word": self.word.weight, "emb.pos": self.pos.weight,
               "emb.type": torch.stack([self.token_type, torch.zeros_like(self.token_type)]),
               "emb.ln.w": self.eln.weight, "emb.ln.b": self.eln.bias}
        for index, layer in enumerate(self.layers):
            for name in (*LINEARS, "aln", "oln"):
                module = getattr(layer, name)
                out[f"l{index}.{name}.w"], out[f"l{index}.{name}.b"] = module.weight, module.bias
        return {k: v.detach().float().cpu().numpy() for k, v in out.items()}

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean-pooled last-layer states (batch, hidden) for padded ids and a bool mask."""
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.eln(self.word(ids) + self.pos(positions) + self.token_type)
        attn_mask = mask[:, None, None, :]
        for layer in self.layers:
            x = layer(x, attn_mask)
        weights = mask.unsqueeze(-1).to(x.dtype)
        return (x * weights).sum(1) / weights.sum(1)
