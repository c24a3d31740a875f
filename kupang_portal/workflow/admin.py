"""The staff queue for any case type, in the Django admin.

``CaseAdmin`` gives: queue scoped to the clerk's offices (others get 404), ordered by deadline,
an SLA badge and filter, "take this case", a panel of the transitions this clerk may perform
(with note, extra fields and the version the clerk saw), read-only history. Every change goes
through ``engine.perform``; nothing edits a case or its history directly.
"""

import datetime as dt

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.admin_lookups import DeclaredLookupsOnly
from kupang_portal.dashboards.admin_filters import DashboardExceptionFilter
from kupang_portal.organization import calendar

from . import access, engine, sla
from .models import CaseEvent

SLA_LABELS = {
    calendar.SlaStatus.ON_TIME: _("Tepat waktu"),
    calendar.SlaStatus.DUE_SOON: _("Jatuh tempo ≤ 1 hari kerja"),
    calendar.SlaStatus.OVERDUE: _("Lewat tenggat"),
    calendar.SlaStatus.PAUSED: _("Menunggu warga"),
    calendar.SlaStatus.NONE: _("Tanpa tenggat"),
    calendar.SlaStatus.DONE: _("Selesai"),
}


def status_label(choices, value):
    """The label of a status (5x cheaper than ``get_status_display``, which builds a dict of the
    field's choices for every row of a queue page)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def sla_badge_html(case, now=None):
    status = sla.badge(case, now=now)
    return format_html('<span class="sla-badge sla-{}" data-sla="{}">{}</span>', status, status, SLA_LABELS[status])


def open_cases(queryset):
    return queryset.open()


def sla_queryset(queryset, value, now=None):
    """Open cases of ``queryset`` in SLA state ``value`` (the queue filter and the admin home's
    counts use this one definition, ``CaseQuerySet``'s): "due soon" = the deadline falls between
    now and the end of the next working day; a paused clock (waiting for the resident) is neither
    due nor overdue."""
    now = now or timezone.now()
    if value == calendar.SlaStatus.OVERDUE:
        return queryset.overdue(now)
    if value == calendar.SlaStatus.DUE_SOON:
        return queryset.due_soon(now)
    if value == calendar.SlaStatus.ON_TIME:
        return queryset.on_time(now)
    if value == calendar.SlaStatus.PAUSED:
        return queryset.paused()
    return queryset


class SlaFilter(admin.SimpleListFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [(k, SLA_LABELS[k]) for k in (calendar.SlaStatus.OVERDUE, calendar.SlaStatus.DUE_SOON,
                                              calendar.SlaStatus.ON_TIME, calendar.SlaStatus.PAUSED)]

    def queryset(self, request, queryset):
        return sla_queryset(queryset, self.value()) if self.value() else queryset


class OpenFilter(admin.SimpleListFilter):
    """The queue shows open cases by default; closed ones are one click away."""

    title = _("keadaan")
    parameter_name = "keadaan"

    def lookups(self, request, model_admin):
        return [("closed", _("Selesai/ditutup")), ("all", _("Semua"))]

    def choices(self, changelist):
        value = self.value()
        yield {"selected": value in (None, "open"), "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": _("Terbuka (belum selesai)")}
        for lookup, title in self.lookup_choices:
            yield {"selected": value == lookup, "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                   "display": title}

    def queryset(self, request, queryset):
        """On the stored ``is_open`` flag (the engine keeps it true to ``open_states``), not on a
        list of states: the queue indexes lead with it, and combined with ``?status=`` the planner
        sees one status condition instead of two (whose product it underestimates)."""
        if getattr(queryset.model, "open_states", None) is None or self.value() == "all":
            return queryset
        return queryset.filter(is_open=self.value() != "closed")


class StatusFilter(admin.SimpleListFilter):
    """Status with the workflow's Indonesian labels (the base field has no choices)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        workflow = getattr(model_admin.model, "workflow", None)
        hidden = set(getattr(model_admin, "hidden_states", ()))
        return [c for c in workflow.states.choices if c[0] not in hidden] if workflow else []

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class DeadlineFilter(admin.SimpleListFilter):
    title = _("tenggat")
    parameter_name = "tenggat"

    def lookups(self, request, model_admin):
        return [("today", _("Hari ini")), ("week", _("7 hari ke depan")), ("past", _("Sudah lewat"))]

    def queryset(self, request, queryset):
        now = timezone.localtime()
        end_today = now.replace(hour=23, minute=59, second=59)
        if self.value() == "today":
            return queryset.filter(deadline__date=now.date())
        if self.value() == "week":
            return queryset.filter(deadline__gte=now, deadline__lte=end_today + dt.timedelta(days=7))
        if self.value() == "past":
            return queryset.filter(deadline__lt=now)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    """Mine / unassigned / assigned: never a list of every staff member's name."""

    title = _("petugas")
    parameter_name = "petugas"

    def lookups(self, request, model_admin):
        return [("mine", _("Ditugaskan kepada saya")), ("none", _("Belum ditugaskan")), ("other", _("Petugas lain"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(assignee=request.user)
        if self.value() == "none":
            return queryset.filter(assignee__isnull=True)
        if self.value() == "other":
            return queryset.exclude(assignee=request.user).filter(assignee__isnull=False)
        return queryset


class ReadOnlyInlineMixin:
    """An inline that only shows rows: case history, uploaded documents, photos."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyInlineMixin, GenericTabularInline):
    model = CaseEvent
    fields = ["created_at", "transition_label", "from_state", "to_state", "actor_label", "actor_office", "to_office", "note", "is_public"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]
    verbose_name = _("riwayat")
    verbose_name_plural = _("riwayat (tidak dapat diubah)")


class CappedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows: ``SELECT COUNT(*) FROM (... LIMIT cap+1)``.

    An exact ``COUNT(*)`` of a large office queue reads every matching index entry (hundreds of
    milliseconds at a million cases); the capped count reads at most ``cap + 1`` and so costs the
    same at 10 thousand or 10 million cases. Past the cap the list shows ``cap`` rows' worth of
    pages and ``capped`` is true (narrow the list with a filter or search).
    """

    COUNT_CAP = 1_000

    @cached_property
    def count(self):
        counted = self.object_list.order_by()[: self.COUNT_CAP + 1].count()
        self.capped = counted > self.COUNT_CAP
        return min(counted, self.COUNT_CAP)

    capped = False


class CaseAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    """Base admin for a Case subclass. Subclasses add list_display, search_fields, fields.

    Built to stay flat at millions of cases: the order is served by an index on
    (office, is_open DESC, deadline) (see docs/performance.md), one capped count instead of two
    full ``COUNT(*)`` (``show_full_result_count`` off), and status fields declare their choices
    so the status filter needs no ``SELECT DISTINCT``.
    """

    change_form_template = "admin/workflow/case_change_form.html"
    inlines = [CaseEventInline]
    list_filter = [OpenFilter, StatusFilter, SlaFilter, DeadlineFilter, AssigneeFilter, DashboardExceptionFilter]
    list_per_page = 50
    paginator = CappedCountPaginator
    show_full_result_count = False
    actions = ["take_cases"]
    case_list_select_related = ["office", "assignee"]

    class Media:
        css = {"all": ["css/admin_cases.css"]}

    # --- scoping: a case outside the staff member's offices does not exist for them ---------------
    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related(*self.case_list_select_related)
        return self.scope_queryset(qs, request.user)

    def get_ordering(self, request):
        """The queue: open cases first, the most urgent deadline on top; closed ones after them.
        (The changelist applies this over any Meta.ordering of the model.)

        ``is_open`` is the stored open flag the engine writes with every state change, so an
        index on (office, is_open DESC, deadline) serves this order and a page reads 50 index
        entries instead of sorting every case of the office."""
        return [F("is_open").desc(), F("deadline").asc(nulls_last=True), F("created_at").asc()]

    def scope_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def get_object(self, request, object_id, from_field=None):
        # get_queryset is scoped, so another office's case is "not found" (404), not "forbidden".
        return super().get_object(request, object_id, from_field)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """The change and history pages of a case that is not in the staff member's scope (or does
        not exist): 404, like the transition, take and document addresses. (Django's default
        redirects to the admin home with a message naming the id.)"""
        raise Http404

    # --- nobody edits cases or history through forms; changes are transitions -------------------
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def action_checkbox(self, obj):
        """The row's checkbox, the same markup as Django's, written with one format_html: Django
        renders a widget template for it, about a third of a 50-row queue page's row rendering."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           helpers.ACTION_CHECKBOX_NAME, obj.pk, label)

    @admin.display(description=_("SLA"))
    def sla_badge(self, obj):
        return sla_badge_html(obj)

    @admin.display(description=_("Tenggat"), ordering="deadline")
    def deadline_display(self, obj):
        if obj.sla_paused:
            return _("dihentikan (sisa %(days)s hari kerja)") % {"days": obj.sla_remaining_days}
        if not obj.deadline:
            return "–"
        text = timezone.localtime(obj.deadline).strftime("%d-%m-%Y")
        if calendar.is_provisional(obj.deadline):
            # The holidays of that year are not loaded yet: the deadline may still move.
            return format_html('{} <span class="help" data-provisional="1">({})</span>', text, _("sementara"))
        return text

    @admin.display(description=_("Petugas"), ordering="assignee__first_name")
    def assignee_display(self, obj):
        """The name, never the username."""
        return obj.assignee.display_name if obj.assignee_id else "–"

    def moved_to(self, request, case):
        """Where the case went when it left this staff member's queue (an office), or None when it
        is still theirs. Subclasses add hand-overs that happen after the commit (routing tasks)."""
        case.refresh_from_db()
        if self.get_queryset(request).filter(pk=case.pk).exists():
            return None
        return case.office

    # --- actions ---------------------------------------------------------------------------------
    def run_on_each(self, request, cases, operation, done_message, refused_message):
        """A bulk action: ``operation(case)`` per case, each in its own transaction; one summary."""
        done, refused = 0, 0
        for case in cases:
            try:
                operation(case)
                done += 1
            except engine.TransitionError:
                refused += 1
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        if refused:
            self.message_user(request, refused_message % {"n": refused}, messages.WARNING)

    @admin.action(description=_("Ambil kasus terpilih (tugaskan kepada saya)"))
    def take_cases(self, request, queryset):
        self.run_on_each(
            request, queryset, lambda case: engine.assign(case, request.user, request.user),
            _("%(n)s kasus ditugaskan kepada Anda."),
            _("%(n)s kasus tidak dapat diambil (bukan OPD Anda atau sudah berubah)."),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path("<path:object_id>/tindakan/<str:transition>/", self.admin_site.admin_view(self.transition_view), name="%s_%s_transition" % info),
            path("<path:object_id>/ambil/", self.admin_site.admin_view(self.take_view), name="%s_%s_take" % info),
        ]
        return extra + super().get_urls()

    def _case_or_404(self, request, object_id):
        case = self.get_object(request, object_id)
        if case is None or not self.has_view_permission(request, case):
            raise Http404
        return case

    def change_url(self, case):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[case.pk])

    def take_view(self, request, object_id):
        if request.method != "POST":
            raise PermissionDenied
        case = self._case_or_404(request, object_id)
        try:
            engine.assign(case, request.user, request.user, expected_version=request.POST.get("version"))
            messages.success(request, _("Kasus ini sekarang ditugaskan kepada Anda."))
        except engine.TransitionError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(self.change_url(case))

    def transition_view(self, request, object_id, transition):
        case = self._case_or_404(request, object_id)
        workflow = type(case).workflow
        if transition not in workflow.transitions:
            raise Http404
        t = workflow[transition]
        if request.method != "POST" and not workflow.can(case, request.user, t.name):
            # Only offered actions get a form; a stale link or a typed URL goes back to the case.
            # (A POST is left to the engine, which names the exact reason it refuses.)
            messages.error(request, _("Tindakan “%(label)s” tidak tersedia untuk kasus ini sekarang.") % {"label": t.label})
            return HttpResponseRedirect(self.change_url(case))
        form = t.form_class(request.POST or None, request.FILES or None, case=case) if t.form_class else None
        if request.method == "POST":
            if form is None or form.is_valid():
                try:
                    engine.perform(
                        case, t.name, request.user, note=request.POST.get("note", ""),
                        data=form.cleaned_data if form else {}, expected_version=request.POST.get("version"),
                    )
                except engine.TransitionError as exc:
                    messages.error(request, exc.message)
                else:
                    return self._after_transition(request, case, t)
            else:
                messages.error(request, _("Periksa kembali isian tindakan: ada yang belum benar."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": case, "case": case, "transition": t, "form": form,
            "title": f"{t.label}: {case}", "change_url": self.change_url(case),
        }
        return TemplateResponse(request, "admin/workflow/transition_form.html", context)

    def _after_transition(self, request, case, t):
        """Back to the case while it is still this clerk's; otherwise to their queue, with one
        message naming where it went (never the admin's "does not exist" page)."""
        destination = self.moved_to(request, case)
        if destination is None:
            messages.success(request, _("Tindakan “%(label)s” berhasil dicatat.") % {"label": t.label})
            return HttpResponseRedirect(self.change_url(case))
        messages.success(request, _("%(number)s: “%(label)s” berhasil. Kasus kini ditangani %(office)s dan keluar dari antrean Anda.")
                         % {"number": case, "label": t.label, "office": getattr(destination, "name", destination)})
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # Opening a case shows personal data: recorded (one INSERT), readable by the office head.
            access.record(request, obj, access.CaseAccess.Action.VIEW)
            context["access_log"] = access.log_for_viewer(request.user, obj)
            available = type(obj).workflow.available(obj, request.user)
            kinds = engine.actor_kinds(request.user, obj)
            context.update(
                available_transitions=available,
                case_version=obj.version,
                sla_badge=sla_badge_html(obj),
                can_take=obj.assignee_id != request.user.pk and engine.Actor.CLERK in kinds,
                # No staff role that acts on this case (pimpinan: read-only): say so, not "in this status".
                view_only=not (kinds - {engine.Actor.OWNER, engine.Actor.SUPERVISOR}),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(access.CaseAccess)
class CaseAccessAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    """Who opened which case's personal data: per case (search the number) and per staff member
    (filter). Office heads see their offices' cases and staff; the IT admins see everything."""

    list_display = ["created_at", "case_number", "user_display", "office", "action", "ip_address"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter), ("office", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["case_number"]
    list_select_related = ["user", "office"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        from kupang_portal.accounts.models import OfficeMembership
        from kupang_portal.accounts.roles import Role

        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser or user.has_role(Role.ADMIN):
            return qs
        headed = user.office_ids(roles=[Role.OFFICE_HEAD])
        staff_ids = OfficeMembership.objects.filter(office_id__in=headed).values("user_id")
        return qs.filter(Q(office_id__in=headed) | Q(user_id__in=staff_ids))

    @admin.display(description=_("petugas"), ordering="user__username")
    def user_display(self, obj):
        return f"{obj.user.display_name} ({obj.user.username})"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
