"""The case file's records: signed evidence (attachments) and how long a closed file is kept."""
