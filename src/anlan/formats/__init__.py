"""The site's date and time formats (settings.FORMAT_MODULE_PATH), one per language: every date
and time people see on a page or in a message reads 2026-12-02 15:04 (in ANLAN_TIME_ZONE), as
the Excel exports do (core/excel.py). Templates say ``|date:"DATETIME_FORMAT"`` or ``|date``,
never a pattern of their own."""
