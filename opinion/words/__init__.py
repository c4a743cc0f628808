"""Words and networks: new words, keywords by group, co-occurrence networks, word clouds."""
