"""Service and payment pages of a case, included at /cases/ (zhifa.cases.urls)."""

from django.urls import path

from zhifa.cases.views import payment, service

urlpatterns = [
    path("<int:pk>/service/", service.case_service_page, name="case-service"),
    path("<int:pk>/service/record/", service.case_service_record, name="case-service-record"),
    path("<int:pk>/service/electronic/", service.case_service_electronic, name="case-service-electronic"),
    path("<int:pk>/payment/", payment.case_payment_page, name="case-payment"),
    path("<int:pk>/payment/notice/", payment.case_payment_notice, name="case-payment-notice"),
    path("<int:pk>/payment/bank/", payment.case_payment_bank, name="case-payment-bank"),
    path("<int:pk>/payment/cash/", payment.case_payment_cash, name="case-payment-cash"),
    path("payments/import/", payment.payment_import_page, name="payment-import"),
]
