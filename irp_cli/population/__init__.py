"""The prisoner population summary of guide Appendix II: which NOMIS report to ask for, the
figures typed from its 'summary' tab (or read from the PDF), the checks that they add up, and
the tables and charts that show them."""
