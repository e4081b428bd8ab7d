"""The weekly email digest: gather the radar, compose HTML and text, send over SMTP."""
