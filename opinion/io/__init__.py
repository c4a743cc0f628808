"""Reading corpora (formats, encodings, rejects) and the workspace store."""
