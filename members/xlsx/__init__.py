"""XLSX import and export of the member roll and of organizations."""
