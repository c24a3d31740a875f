app_name = "layanan"

urlpatterns = []
