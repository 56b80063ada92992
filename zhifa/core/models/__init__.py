"""Core models: the record (hash chain), the working-day calendar, numbering, API tokens."""

from zhifa.core.models.calendar import CalendarDay, CalendarYear
from zhifa.core.models.numbering import NumberSeries
from zhifa.core.models.record import ChainHead, Event
from zhifa.core.models.tokens import ApiToken

__all__ = ["ApiToken", "CalendarDay", "CalendarYear", "ChainHead", "Event", "NumberSeries"]
