"""Amazon Connect flow logs: reading them (reader.py), putting each contact back together
(contacts.py), writing the log Connect would write for a simulated call (writer.py), and the
answers built on them (summary.py, whatif.py)."""
