"""The staff-edited technology taxonomy: the radar's vocabulary, below every stage that uses it.

One job per module: ``model`` the dataclasses and the rules every taxonomy obeys (built in
code or read from disk); ``load`` reads and checks taxonomy.yaml; ``sidefiles`` finds and reads
the staff files beside it (topic_terms.yaml, seed_examples.yaml); ``edit`` appends a technology
to the file without touching the text staff wrote. Matching aliases in text is classification
(:mod:`radar.classify.mentions`).
"""
