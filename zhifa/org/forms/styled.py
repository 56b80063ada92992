"""Shared form helpers: Bootstrap widget classes and showing a ServiceError on its field."""

from __future__ import annotations

from django import forms

from zhifa.core.errors import ServiceError, ValidationErrors


class DateInput(forms.DateInput):
    """A native date picker (works on phones) that round-trips ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StyledForm(forms.Form):
    """Adds Bootstrap classes to every widget, and `is-invalid` to fields with errors.

    `checkbox_list_css` is the class given to each box of a checkbox list; None leaves the boxes unstyled
    (the organisation pages lay them out themselves).
    """

    checkbox_list_css: str | None = "form-check-input"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxSelectMultiple):
                if self.checkbox_list_css is not None:
                    widget.attrs["class"] = self.checkbox_list_css
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            self._mark_invalid(name)

    def _mark_invalid(self, name: str | None) -> None:
        if name in self.fields:
            widget = self.fields[name].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_service_error(self, exc: ServiceError) -> None:
        """Show a service's error on the field it names (or above the form)."""
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        for error in errors:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
            self._mark_invalid(field)
