//! Cross-border identity exports: candidate pairs, expert decisions, links and individuals resources.
